import Foundation
import CCurl

/// One libcurl easy handle (curl_easy_init(3)), released exactly once in `deinit`.
///
/// Not Sendable: it lives on the transport's dedicated thread and is only touched there. Reusing
/// it across messages lets libcurl keep the SMTP connection open between mails of a batch.
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    /// CURLOPT_ERRORBUFFER must stay valid for the handle's life (CURL_ERROR_SIZE bytes).
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))

    init() throws(MailError) {
        CurlGlobal.ensureInitialized()
        guard let handle = pim_curl_easy_init() else {
            throw .transport(SMTPFailure(curlCode: Int(CURLE_FAILED_INIT.rawValue), message: "curl_easy_init failed", detail: "", smtpReply: 0))
        }
        self.handle = handle
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        pim_curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// curl_easy_reset(3): forget every option but keep live connections and caches.
    func reset() throws(MailError) {
        pim_curl_easy_reset(handle)
        errorBuffer[0] = 0
        try check(pim_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
    }

    func set(_ option: CURLoption, _ value: Int) throws(MailError) {
        try check(pim_curl_setopt_long(handle, option, value))
    }

    /// libcurl copies string arguments (curl_easy_setopt(3), "Strings passed to libcurl").
    func set(_ option: CURLoption, _ value: String) throws(MailError) {
        let code = value.withCString { pim_curl_setopt_string(handle, option, $0) }
        try check(code)
    }

    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws(MailError) {
        try check(pim_curl_setopt_pointer(handle, option, pointer))
    }

    func set(_ option: CURLoption, list: UnsafeMutablePointer<curl_slist>?) throws(MailError) {
        try check(pim_curl_setopt_slist(handle, option, list))
    }

    func set(_ option: CURLoption, offset: Int64) throws(MailError) {
        try check(pim_curl_setopt_offset(handle, option, curl_off_t(offset)))
    }

    func setReadFunction(_ callback: curl_read_callback) throws(MailError) {
        try check(pim_curl_setopt_read_function(handle, callback))
    }

    /// curl_easy_perform(3): runs the transfer, blocking this thread until done or timed out.
    func perform() throws(MailError) {
        try check(pim_curl_easy_perform(handle))
    }

    /// CURLINFO_RESPONSE_CODE: for SMTP the last reply code received.
    var responseCode: Int {
        var code = 0
        _ = pim_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    private func check(_ code: CURLcode) throws(MailError) {
        guard code != CURLE_OK else { return }
        let message = String(cString: pim_curl_easy_strerror(code))
        let detail = String(cString: errorBuffer)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        throw .transport(SMTPFailure(curlCode: Int(code.rawValue), message: message, detail: detail, smtpReply: responseCode))
    }
}

/// curl_global_init(3) must run once before any other libcurl call and is not thread-safe in
/// every build; a static let is initialised exactly once (swift_once).
enum CurlGlobal {
    private static let initialized: Bool = pim_curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    static func ensureInitialized() {
        _ = initialized
    }
}
