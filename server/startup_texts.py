"""What a bad start, a backup or a restore says: the one-line messages, Vietnamese first.

`startup.StartupError(kind, where, problem, **params)` writes `where: vi (en)` from here.
"""

from __future__ import annotations

# What was being opened: (Vietnamese, English, the option that chooses it).
KINDS: dict[str, tuple[str, str, str]] = {
    "config": ("tệp cấu hình", "config file", "--config"),
    "data_dir": ("thư mục dữ liệu", "data directory", "--data-dir"),
    "database": ("cơ sở dữ liệu", "database", "database_url / $LAYSO_DATABASE_URL"),
    "address": ("địa chỉ lắng nghe", "listening address", "--host / --port"),
    "backup": ("tệp sao lưu", "backup file", "FILE"),
    "pg_tool": ("công cụ PostgreSQL", "PostgreSQL tool", "$LAYSO_PG_BIN"),
}

# problem -> (Vietnamese, English); {what}/{what_en} is the kind, {option} its option.
MESSAGES: dict[str, tuple[str, str]] = {
    "not_writable": ("{what} không ghi được: cấp quyền ghi cho tài khoản chạy layso "
                     "hoặc chọn {option} khác",
                     "the {what_en} is not writable: give the account running layso "
                     "write access or choose another {option}"),
    "parent_not_writable": ("không tạo được {what} vì {parent} không ghi được: tạo sẵn thư mục "
                            "với quyền ghi hoặc chọn {option} khác",
                            "cannot create the {what_en}: {parent} is not writable; create it "
                            "with write access or choose another {option}"),
    "not_readable": ("không đọc được {what}: cấp quyền đọc cho tài khoản chạy layso",
                     "cannot read the {what_en}: give the account running layso read access"),
    "not_a_directory": ("đây là một tệp, không phải thư mục: chọn {option} khác hoặc dời tệp "
                        "này đi",
                        "this is a file, not a directory: choose another {option} or move "
                        "the file away"),
    "is_a_directory": ("đây là một thư mục, không phải {what}: chỉ {option} tới một tệp",
                       "this is a directory, not a {what_en}: point {option} at a file"),
    "not_found": ("không tìm thấy {what}", "{what_en} not found"),
    "disk_full": ("đĩa đã đầy: giải phóng dung lượng rồi chạy lại",
                  "the disk is full: free some space and start again"),
    "database_read_only": ("tệp cơ sở dữ liệu chỉ đọc: cấp quyền ghi cho tài khoản chạy layso",
                           "the database file is read-only: give the account running layso "
                           "write access"),
    "database_corrupt": ("tệp này không phải cơ sở dữ liệu SQLite hoặc đã hỏng: khôi phục từ "
                         "bản sao lưu, hoặc dời tệp đi để bắt đầu với cơ sở dữ liệu mới",
                         "not an SQLite database, or a damaged one: restore a backup, or move "
                         "the file away to start with a new database"),
    "database_locked": ("cơ sở dữ liệu đang bị chương trình khác khoá ghi: dừng chương trình "
                        "đó (có thể là một layso khác) rồi chạy lại",
                        "the database is locked by another program: stop it (perhaps another "
                        "layso) and start again"),
    "database_unopenable": ("không mở được tệp cơ sở dữ liệu: kiểm tra đó là một tệp và thư mục "
                            "chứa nó ghi được",
                            "cannot open the database file: check it is a file and its "
                            "directory is writable"),
    "database_unsupported": ("LaySo chỉ dùng SQLite hoặc PostgreSQL: sửa {option}, ví dụ "
                             "postgresql+psycopg://user:pass@host/db, hoặc bỏ trống để dùng "
                             "SQLite",
                             "LaySo uses only SQLite or PostgreSQL: fix {option}, e.g. "
                             "postgresql+psycopg://user:pass@host/db, or leave it unset for "
                             "SQLite"),
    "database_unreachable": ("không kết nối được PostgreSQL: kiểm tra máy chủ cơ sở dữ liệu "
                             "đang chạy và {option} đúng",
                             "cannot connect to PostgreSQL: check the database server is "
                             "running and {option} is right"),
    "database_failed": ("cơ sở dữ liệu báo lỗi", "the database failed"),
    "address_in_use": ("cổng đang được chương trình khác dùng: dừng chương trình đó hoặc chọn "
                       "--port khác",
                       "Address already in use: stop the other program or choose another "
                       "--port"),
    "address_not_here": ("địa chỉ này không thuộc máy này: dùng 127.0.0.1, 0.0.0.0 hoặc một IP "
                         "của máy",
                         "not an address of this machine: use 127.0.0.1, 0.0.0.0 or one of "
                         "its IP addresses"),
    "port_privileged": ("cổng dưới 1024 cần quyền quản trị: chọn --port từ 1024 trở lên",
                        "ports below 1024 need administrator rights: choose --port 1024 or "
                        "above"),
    "os_error": ("lỗi hệ thống khi mở {what}", "system error opening the {what_en}"),
    # Only one program may own an SQLite database: `layso server`, or `layso restore`.
    "server_running": ("{holder} đang dùng cơ sở dữ liệu này: dừng chương trình đó trước rồi "
                       "chạy lại",
                       "{holder} is using this database: stop it first, then run this again"),
    "sessions_connected": ("{count} phiên khác đang kết nối cơ sở dữ liệu này (layso server "
                           "còn chạy?): dừng mọi layso server dùng nó rồi chạy lại",
                           "{count} other sessions are connected to this database (is a layso "
                           "server still running?): stop every layso server using it, then "
                           "run this again"),
    "no_database": ("chưa có cơ sở dữ liệu ở đây nên chưa có gì để sao lưu: kiểm tra "
                    "--data-dir và database_url",
                    "there is no database here, so nothing to back up: check --data-dir and "
                    "database_url"),
    "no_folder": ("thư mục này không có: tạo nó trước hoặc chọn {option} khác",
                  "there is no such folder: make it first or choose another {option}"),
    "not_a_backup": ("tệp này không phải bản sao lưu LaySo: chọn một tệp do layso backup tạo ra",
                     "this is not a LaySo backup: choose a file made by layso backup"),
    "backup_damaged": ("bản sao lưu đã hỏng (kiểm tra toàn vẹn không đạt): chọn bản sao lưu "
                       "khác",
                       "the backup is damaged (integrity check failed): choose another backup"),
    "backup_newer": ("bản sao lưu do phiên bản LaySo mới hơn tạo ra (lược đồ {revision}): "
                     "cập nhật LaySo trước rồi khôi phục",
                     "the backup was made by a newer LaySo (schema {revision}): update LaySo "
                     "first, then restore"),
    "backup_is_postgresql": ("đây là bản sao lưu PostgreSQL (pg_dump) nhưng cơ sở dữ liệu đang "
                             "dùng là SQLite: đặt database_url tới PostgreSQL để khôi phục nó",
                             "this is a PostgreSQL backup (pg_dump) but the configured database "
                             "is SQLite: set database_url to PostgreSQL to restore it"),
    "backup_is_sqlite": ("đây là bản sao lưu SQLite nhưng cơ sở dữ liệu đang dùng là PostgreSQL: "
                         "bỏ database_url để khôi phục vào SQLite",
                         "this is an SQLite backup but the configured database is PostgreSQL: "
                         "unset database_url to restore it into SQLite"),
    "pg_tool_missing": ("không tìm thấy {tool}: cài gói postgresql-client-{major} (Debian: apt "
                        "install postgresql-client-{major}; Windows: công cụ dòng lệnh của "
                        "PostgreSQL {major}) hoặc đặt {option} là thư mục chứa nó",
                        "{tool} not found: install postgresql-client-{major} (Debian: apt "
                        "install postgresql-client-{major}; Windows: the command line tools of "
                        "PostgreSQL {major}) or set {option} to the folder holding it"),
    "pg_tool_old": ("{tool} {found} cũ hơn máy chủ PostgreSQL {major}: cài "
                    "postgresql-client-{major} hoặc đặt {option} là thư mục chứa bản mới",
                    "{tool} {found} is older than the PostgreSQL {major} server: install "
                    "postgresql-client-{major} or set {option} to the folder of a newer one"),
    "pg_tool_failed": ("{tool} báo lỗi", "{tool} failed"),
}

# What `layso server` says once it is ready: where the clerks open their console, and on a
# first start where the first admin is made.
SERVING = {
    "console": ("Bàn làm việc của cán bộ", "clerk console"),
    "this_machine": ("<địa chỉ máy này>", "this machine's address"),
    "first_run": ("Chưa có tài khoản quản trị: mở {url} để tạo tài khoản quản trị đầu tiên",
                  "no admin yet: open {url} to create the first admin"),
}
