<#
.SYNOPSIS
  Cài LaySo trên Windows 10/11 (installs LaySo on a Windows 10/11 office PC).

.DESCRIPTION
  One script for the three kinds of PC in a one-stop office:
    server   the queue server (máy chủ), started at boot, with a daily backup;
    kiosk    the touchscreen kiosk with its ticket printer (máy lấy số), full screen at log-on;
    display  the hall TV or a counter screen with the voice (màn hình sảnh), full screen at log-on.
  It finds or installs Python 3.11 (winget, else it tells where to get the official
  installer), makes a virtual environment in C:\LaySo\venv, installs the part this PC
  needs from this checkout, checks the Vietnamese voice and the Windows printer, and
  registers a scheduled task that starts LaySo. Safe to run again.

  Run in an elevated PowerShell (Run as administrator), from the folder of the checkout:
    powershell -ExecutionPolicy Bypass -File tools\windows\install.ps1 -Role server
    powershell -ExecutionPolicy Bypass -File tools\windows\install.ps1 -Role kiosk -Server http://192.168.1.10:8080 -TokenFile C:\LaySo\kiosk-token.txt -Printer "win32://EPSON TM-T82III Receipt"
    powershell -ExecutionPolicy Bypass -File tools\windows\install.ps1 -Role display -Server http://192.168.1.10:8080 -TokenFile C:\LaySo\display-token.txt

.PARAMETER TokenFile
  A text file holding the device token (from `layso device add` on the server). The token
  is written into the part's settings file, readable only by the user who runs it, and
  never appears on a command line that other programs can read.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [ValidateSet("server", "kiosk", "display")]
    [string]$Role,
    [string]$Server = "",
    [string]$TokenFile = "",
    [string]$Printer = "",
    [string]$Root = "C:\LaySo",
    [string]$TaskUser = $env:USERNAME,
    [switch]$ExposeOneCoreVoice,
    [switch]$NoTask
)

$ErrorActionPreference = "Stop"
$Checkout = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
$Venv = Join-Path $Root "venv"
$Layso = Join-Path $Venv "Scripts\layso.exe"
$Data = Join-Path $Root "data"
$Backups = Join-Path $Root "backups"
$Settings = Join-Path $Root "$Role.json"

function Say([string]$vi, [string]$en) { Write-Host "$vi ($en)" }
function Fail([string]$vi, [string]$en) { Write-Error "$vi ($en)"; exit 1 }

function Test-Admin {
    $id = [Security.Principal.WindowsIdentity]::GetCurrent()
    return (New-Object Security.Principal.WindowsPrincipal $id).IsInRole(
        [Security.Principal.WindowsBuiltInRole]::Administrator)
}

function Find-Python {
    # The py launcher knows every installed Python; 3.11 or newer will do.
    foreach ($candidate in @("py -3.13", "py -3.12", "py -3.11", "python")) {
        $exe, $arg = $candidate.Split(" ", 2)
        if (-not (Get-Command $exe -ErrorAction SilentlyContinue)) { continue }
        $cmd = if ($arg) { @($arg) } else { @() }
        $version = & $exe @cmd -c "import sys; print('%d.%d' % sys.version_info[:2])" 2>$null
        if ($LASTEXITCODE -eq 0 -and [version]$version -ge [version]"3.11") {
            return @{ Exe = $exe; Args = $cmd }
        }
    }
    return $null
}

function Install-Python {
    $python = Find-Python
    if ($python) { return $python }
    if (Get-Command winget -ErrorAction SilentlyContinue) {
        Say "Đang cài Python 3.11 bằng winget" "installing Python 3.11 with winget"
        winget install --exact --id Python.Python.3.11 --scope machine --silent `
            --accept-package-agreements --accept-source-agreements
        $env:Path = [Environment]::GetEnvironmentVariable("Path", "Machine") + ";" + $env:Path
        $python = Find-Python
    }
    if (-not $python) {
        Fail "Chưa có Python 3.11: tải bộ cài chính thức tại python.org/downloads/windows, chọn 'Add python.exe to PATH', rồi chạy lại script này" `
             "Python 3.11 is missing: install it from the official installer at python.org (tick 'Add python.exe to PATH'), then run this script again"
    }
    return $python
}

function Install-LaySo($python) {
    New-Item -ItemType Directory -Force -Path $Root, $Data, $Backups | Out-Null
    if (-not (Test-Path (Join-Path $Venv "Scripts\python.exe"))) {
        & $python.Exe @($python.Args) -m venv $Venv
        if ($LASTEXITCODE -ne 0) { Fail "Không tạo được môi trường Python" "could not make the venv" }
    }
    $pip = Join-Path $Venv "Scripts\python.exe"
    & $pip -m pip install --quiet --upgrade pip
    # kiosk brings the printer part, and with it pywin32 for win32:// printers.
    & $pip -m pip install --quiet "$Checkout[$Role]"
    if ($LASTEXITCODE -ne 0) { Fail "pip install thất bại" "pip install failed" }
}

function Test-VietnameseVoice {
    # SAPI5 lists the voices pyttsx3 can use; Windows' own vi-VN voice "Microsoft An" is a
    # OneCore voice that SAPI5 often does not list.
    Add-Type -AssemblyName System.Speech
    $synth = New-Object System.Speech.Synthesis.SpeechSynthesizer
    $vi = $synth.GetInstalledVoices() | Where-Object { $_.VoiceInfo.Culture.Name -eq "vi-VN" }
    if ($vi) {
        Say "Có giọng đọc tiếng Việt: $($vi[0].VoiceInfo.Name)" "a Vietnamese SAPI5 voice is installed"
        return
    }
    $oneCore = "HKLM:\SOFTWARE\Microsoft\Speech_OneCore\Voices\Tokens"
    $an = Get-ChildItem $oneCore -ErrorAction SilentlyContinue |
        Where-Object { $_.PSChildName -like "*viVN*" }
    if (-not $an) {
        Say "Chưa có giọng tiếng Việt: Settings > Time & language > Speech > Add voices > Tiếng Việt, hoặc dùng bộ giọng thu âm (docs/voice.md)" `
            "no Vietnamese voice: add it in Settings > Time & language > Speech, or use a recorded voice pack (docs/voice.md)"
        return
    }
    if (-not $ExposeOneCoreVoice) {
        Say "Có giọng OneCore '$($an[0].PSChildName)' nhưng SAPI5 không thấy: chạy lại với -ExposeOneCoreVoice để chép sang SAPI5" `
            "the OneCore voice is installed but SAPI5 does not list it: run again with -ExposeOneCoreVoice to copy it to SAPI5"
        return
    }
    # Copy the voice's registry token where SAPI5 (64- and 32-bit) looks for voices.
    foreach ($target in @("HKLM:\SOFTWARE\Microsoft\Speech\Voices\Tokens",
                          "HKLM:\SOFTWARE\WOW6432Node\Microsoft\Speech\Voices\Tokens")) {
        foreach ($voice in $an) {
            $dest = Join-Path $target $voice.PSChildName
            if (-not (Test-Path $dest)) { Copy-Item -Path $voice.PSPath -Destination $target -Recurse }
        }
    }
    Say "Đã chép giọng OneCore sang SAPI5; kiểm tra: layso say 1005 --counter 3 --wav test.wav" `
        "copied the OneCore voice to SAPI5; check with layso say 1005 --counter 3 --wav test.wav"
}

function Test-WindowsPrinter {
    if (-not $Printer) {
        Say "Các máy in Windows (dùng -Printer 'win32://<tên>'):" "Windows printers (use -Printer 'win32://<name>'):"
        Get-Printer | ForEach-Object { Write-Host "  win32://$($_.Name)" }
        return
    }
    if ($Printer.StartsWith("win32://")) {
        $name = $Printer.Substring(8)
        if (-not (Get-Printer -Name $name -ErrorAction SilentlyContinue)) {
            Fail "Không có máy in Windows tên '$name'" "no Windows printer named '$name'"
        }
    }
    & $Layso printer status --uri $Printer
}

function Write-DeviceSettings {
    $token = ""
    if ($TokenFile) { $token = (Get-Content -Raw -Path $TokenFile).Trim() }
    $env:LAYSO_SETTINGS = $Settings; $env:LAYSO_SERVER = $Server
    $env:LAYSO_TOKEN = $token; $env:LAYSO_PRINTER = $Printer; $env:LAYSO_ROLE = $Role
    # The part's own settings module writes its file (one format, one place).
    $code = @'
import os
from pathlib import Path
path = Path(os.environ["LAYSO_SETTINGS"])
given = {k: os.environ["LAYSO_" + k.upper()] for k in ("server", "token", "printer")}
if os.environ["LAYSO_ROLE"] == "kiosk":
    from layso.kiosk.settings import load_settings
    s = load_settings(path)
    for key, name in (("server", "server_url"), ("token", "token"), ("printer", "printer_uri")):
        if given[key]:
            setattr(s, name, given[key])
    s.save()
else:
    from layso.counter_display.settings import load_settings, save_settings
    save_settings(load_settings(path).overridden(server=given["server"] or None,
                                                 token=given["token"] or None), path)
'@
    $script = Join-Path $Root "write-settings.py"
    Set-Content -Path $script -Value $code -Encoding UTF8
    & (Join-Path $Venv "Scripts\python.exe") $script
    Remove-Item $script
    Remove-Item Env:\LAYSO_TOKEN
    # Only the user who runs the screen (and administrators) may read the token.
    icacls $Settings /inheritance:r /grant:r "${TaskUser}:(R,W)" "Administrators:F" | Out-Null
}

function Register-LaySoTasks {
    if ($NoTask) { return }
    $config = Join-Path $Root "layso.toml"
    if ($Role -eq "server") {
        if (-not (Test-Path $config)) { Copy-Item (Join-Path $Checkout "config\layso.toml") $config }
        $action = New-ScheduledTaskAction -Execute $Layso `
            -Argument "server --config `"$config`" --data-dir `"$Data`" --host 0.0.0.0 --port 8080"
        $trigger = New-ScheduledTaskTrigger -AtStartup
        $settings = New-ScheduledTaskSettingsSet -RestartCount 999 -RestartInterval (New-TimeSpan -Minutes 1) `
            -ExecutionTimeLimit ([TimeSpan]::Zero) -StartWhenAvailable
        Register-ScheduledTask -TaskName "LaySo server" -Action $action -Trigger $trigger `
            -Settings $settings -User "SYSTEM" -RunLevel Highest -Force | Out-Null
        $backup = New-ScheduledTaskAction -Execute "powershell.exe" -Argument (
            "-NoProfile -Command `"& '$Layso' backup ('$Backups\layso-' + (Get-Date -Format yyyyMMdd) + '.db') " +
            "--config '$config' --data-dir '$Data'; Get-ChildItem '$Backups\layso-*.db' | " +
            "Where-Object LastWriteTime -lt (Get-Date).AddDays(-30) | Remove-Item`"")
        Register-ScheduledTask -TaskName "LaySo backup" -Action $backup `
            -Trigger (New-ScheduledTaskTrigger -Daily -At "17:45") -User "SYSTEM" -Force | Out-Null
        New-NetFirewallRule -DisplayName "LaySo server 8080" -Direction Inbound -Protocol TCP `
            -LocalPort 8080 -Action Allow -Profile @("Private", "Domain") -ErrorAction SilentlyContinue | Out-Null
        Say "Máy chủ chạy khi Windows khởi động; sao lưu lúc 17:45 vào $Backups" `
            "the server starts with Windows; a backup every day at 17:45 into $Backups"
    } else {
        # Full screen is the default of layso kiosk / layso display (no --windowed).
        $action = New-ScheduledTaskAction -Execute $Layso -Argument "$Role --settings `"$Settings`""
        $trigger = New-ScheduledTaskTrigger -AtLogOn -User $TaskUser
        $settings = New-ScheduledTaskSettingsSet -RestartCount 999 -RestartInterval (New-TimeSpan -Minutes 1) `
            -ExecutionTimeLimit ([TimeSpan]::Zero)
        Register-ScheduledTask -TaskName "LaySo $Role" -Action $action -Trigger $trigger `
            -Settings $settings -User $TaskUser -RunLevel Limited -Force | Out-Null
        Say "LaySo $Role mở toàn màn hình khi '$TaskUser' đăng nhập; bật tự đăng nhập bằng netplwiz" `
            "LaySo $Role opens full screen when '$TaskUser' logs on; turn on automatic log-on with netplwiz"
    }
}

if (-not (Test-Admin)) { Fail "Hãy chạy PowerShell với quyền quản trị (Run as administrator)" "not elevated" }
$python = Install-Python
Install-LaySo $python
if ($Role -eq "display") { Test-VietnameseVoice }
if ($Role -eq "kiosk") { Test-WindowsPrinter }
if ($Role -ne "server") { Write-DeviceSettings }
Register-LaySoTasks
Say "Xong. LaySo ($Role) đã được cài vào $Root" "Done. LaySo ($Role) is installed in $Root"
