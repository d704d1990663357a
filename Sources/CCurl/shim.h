#ifndef PIM_CCURL_SHIM_H
#define PIM_CCURL_SHIM_H
// libcurl easy interface: curl_easy_init(3), curl_easy_setopt(3), curl_easy_perform(3),
// curl_easy_getinfo(3), curl_slist_append(3). curl_easy_setopt and curl_easy_getinfo are
// variadic, which Swift cannot call, so each argument type gets a typed static inline wrapper.
#include <curl/curl.h>

static inline CURLcode pim_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode pim_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode pim_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode pim_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode pim_curl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/// CURLOPT_READFUNCTION takes a function pointer (curl_read_callback).
static inline CURLcode pim_curl_setopt_read_function(CURL *handle, curl_read_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_READFUNCTION, callback);
}

static inline CURLcode pim_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

#endif
