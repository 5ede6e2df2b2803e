"""Every message the server shows people, Vietnamese first, English beside.

Callers name a code and its values; `message(code, lang, **params)` writes the text.
"""

from __future__ import annotations

STATUS = {
    "waiting": ("đang chờ", "waiting"),
    "called": ("đã được gọi", "already called"),
    "done": ("đã xong", "done"),
    "no_show": ("vắng mặt", "a no-show"),
    "cancelled": ("đã huỷ", "cancelled"),
    "expired": ("đã hết hạn", "expired"),
}
ACTION = {
    "call": ("gọi", "call it"),
    "recall": ("gọi lại", "recall it"),
    "done": ("đánh dấu xong", "mark it done"),
    "no_show": ("đánh dấu vắng mặt", "mark it a no-show"),
    "transfer": ("chuyển lĩnh vực", "transfer it"),
    "cancel": ("huỷ", "cancel it"),
    "reactivate": ("đưa lại vào hàng chờ", "put it back in line"),
    "expire": ("cho hết hạn", "expire it"),
}

MESSAGES: dict[str, tuple[str, str]] = {
    "ticket_state": ("Số {number} {status_vi}, không thể {action_vi}.",
                     "Number {number} is {status_en}; cannot {action_en}."),
    "ticket_called_elsewhere": ("Số {number} đã được {counter} gọi.",
                                "Number {number} was already called by {counter}."),
    "no_current_ticket": ("{counter} chưa gọi số nào.", "{counter} has no ticket called."),
    "service_capped": ("Lĩnh vực {service} đã hết số hôm nay.",
                       "Field {service} has no more numbers today."),
    "service_cutoff": ("Lĩnh vực {service} đã hết giờ lấy số hôm nay (sau {cutoff}).",
                       "Field {service} takes no more numbers today (after {cutoff})."),
    "service_closed": ("Lĩnh vực {service} đang tạm ngừng tiếp nhận.",
                       "Field {service} is closed."),
    "service_outside_hours": ("Ngoài giờ tiếp nhận ({opening}–{closing}).",
                              "Outside reception hours ({opening}–{closing})."),
    "service_no_counter": ("Lĩnh vực {service} hiện chưa có quầy tiếp nhận.",
                           "No counter serves field {service} right now."),
    "counter_paused": ("{counter} đang tạm dừng. Bấm Tiếp tục trước khi gọi số.",
                       "{counter} is paused. Resume before calling."),
    "counter_not_paused": ("{counter} không tạm dừng.", "{counter} is not paused."),
    "not_found": ("Không tìm thấy {what} {id}.", "No {what_en} {id}."),
    "rating_not_served": ("Số {number} chưa được phục vụ xong nên chưa đánh giá được.",
                          "Number {number} has not been served, so it cannot be rated yet."),
    "rating_exists": ("Số {number} đã được đánh giá. Mỗi số chỉ đánh giá một lần.",
                      "Number {number} was already rated; each number is rated once."),
    "unknown_rating_level": ("Không có mức đánh giá {code}; các mức: {codes}.",
                             "No rating level {code}; the levels are {codes}."),
    "bad_report_range": ("Khoảng ngày báo cáo không hợp lệ: {problem_vi}.",
                         "The report's range cannot be used: {problem_en}."),
    "rating_other_counter": ("Thiết bị đánh giá của {counter} không đánh giá được số {number} "
                             "(số này không được phục vụ tại quầy đó).",
                             "The rating device of {counter} cannot rate number {number} "
                             "(it was not served at that counter)."),
    "unknown_service": ("Không có lĩnh vực với mã số {id}.", "No field with id {id}."),
    "unknown_category": ("Không có diện ưu tiên {code}.", "No priority category {code}."),
    "same_service": ("Số {number} đã thuộc lĩnh vực này.", "Number {number} is already in that field."),
    "unauthorized": ("Cần đăng nhập hoặc mã thiết bị hợp lệ.", "A valid token is needed."),
    "forbidden": ("Tài khoản này không được phép {what}.", "This account may not {what_en}."),
    "counter_not_assigned": ("Cán bộ này không được phân công tại {counter}.",
                             "This clerk is not assigned to {counter}."),
    "login_failed": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong username or password."),
    "too_many_logins": ("Đăng nhập sai nhiều lần. Xin thử lại sau {seconds} giây.",
                        "Too many failed logins. Try again in {seconds} s."),
    "bad_json": ("Nội dung yêu cầu không phải JSON hợp lệ: {detail}.",
                 "The request body is not valid JSON: {detail}."),
    "invalid_field": ("Trường {field}: {problem_vi}.", "Field {field}: {problem_en}."),
    "too_large": ("Yêu cầu quá lớn (tối đa {limit} byte).", "Request too large (at most {limit} bytes)."),
    "method_not_allowed": ("Phương thức không được hỗ trợ.", "Method not allowed."),
    "no_route": ("Không có địa chỉ này.", "No such address."),
    "bad_last_event_id": ("Last-Event-ID phải là một số nguyên.",
                          "Last-Event-ID must be a whole number."),
    "bad_idempotency_key": ("Idempotency-Key phải có 1–100 ký tự.",
                            "Idempotency-Key must be 1–100 characters."),
    "idempotency_key_reused": ("Idempotency-Key này đã được dùng cho một yêu cầu khác (số {number}). Mỗi yêu cầu lấy số mới cần một khoá mới.",
                               "This Idempotency-Key was already used for a different request (number {number}). Each new ticket request needs a new key."),
    "internal": ("Lỗi hệ thống, xin thử lại.", "Internal error, please retry."),
    "database_unavailable": ("Hệ thống đang tạm gián đoạn, xin vui lòng chờ trong giây lát "
                             "(cơ sở dữ liệu không phản hồi).",
                             "The system is briefly unavailable, please wait a moment "
                             "(the database does not answer)."),
    "database_busy": ("Hệ thống đang tạm gián đoạn, xin vui lòng chờ trong giây lát "
                      "(cơ sở dữ liệu đang bận).",
                      "The system is briefly unavailable, please wait a moment "
                      "(the database is busy)."),
    "server_busy": ("Hệ thống đang tạm gián đoạn, xin vui lòng chờ trong giây lát "
                    "(máy chủ đang quá tải).",
                    "The system is briefly unavailable, please wait a moment "
                    "(the server is overloaded)."),
}

# What is wrong with one field of a request body: the `problem` of invalid_field.
PROBLEMS: dict[str, tuple[str, str]] = {
    "required": ("bắt buộc", "required"),
    "whole_number": ("phải là số nguyên dương", "must be a positive whole number"),
    "true_or_false": ("phải là true hoặc false", "must be true or false"),
    "text_between": ("phải là chuỗi {min}–{max} ký tự", "must be text of {min}–{max} characters"),
    "text_up_to": ("phải là chuỗi tối đa {max} ký tự", "must be text of at most {max} characters"),
    "no_nul": ("không được chứa ký tự NUL", "must not contain the NUL character"),
    "one_of": ("phải là một trong: {choices}", "must be one of: {choices}"),
    "list_up_to": ("phải là danh sách tối đa {max} mục", "must be a list of at most {max} items"),
    "level_code": ("phải là mã mức đánh giá, ví dụ satisfied",
                   "must be a rating level code, e.g. satisfied"),
    "dossier_code": ("phải là mã hồ sơ tối đa 64 ký tự: chữ không dấu, số và . - / _",
                     "must be a dossier code of at most 64 plain letters, digits and . - / _"),
    "unknown_field": ("không có trường này; yêu cầu chỉ nhận {names}",
                      "is not a field of this request, which takes {names}"),
}


def problem(code: str, /, **values: object) -> tuple[str, str]:
    vi, en = PROBLEMS[code]
    return vi.format(**values), en.format(**values)


WHAT = {"ticket": ("phiếu", "ticket"), "counter": ("quầy", "counter"),
        "service": ("lĩnh vực", "field"), "user": ("người dùng", "user"),
        "device": ("thiết bị", "device")}


def message(code: str, lang: str = "vi", /, **params: object) -> str:
    vi, en = MESSAGES.get(code, (code, code))
    values: dict[str, object] = dict(params)
    if "status" in params:
        values["status_vi"], values["status_en"] = STATUS.get(str(params["status"]), (params["status"],) * 2)
    if "action" in params:
        values["action_vi"], values["action_en"] = ACTION.get(str(params["action"]), (params["action"],) * 2)
    if "what" in params and "what_en" not in params:
        values["what"], values["what_en"] = WHAT.get(str(params["what"]), (params["what"],) * 2)
    if "problem" in params:
        problem = params["problem"]
        values["problem_vi"], values["problem_en"] = problem if isinstance(problem, tuple) else (problem,) * 2
    template = en if lang == "en" else vi
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template
