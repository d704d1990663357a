#ifndef PIM_CCURL_SHIM_H
#define PIM_CCURL_SHIM_H
// libcurl easy interface: curl_easy_init(3), curl_easy_setopt(3), curl_easy_perform(3),
// curl_easy_getinfo(3), curl_slist_append(3). curl_easy_setopt and curl_easy_getinfo are
// variadic, which Swift cannot call, so each argument type gets a typed static inline wrapper.
//
// libcurl is loaded on first use with dlopen(3), not linked: only a process that delivers mail
// calls it, and libcurl with its TLS, SSH, Kerberos and LDAP libraries maps about 6 MB into
// every `pim` process that loads it (Benchmarks/portal.sh). Swift calls the pim_curl_* wrappers
// below, never a curl_* function directly (that would fail to link). Without libcurl.so.4 the
// wrappers answer CURLE_FAILED_INIT / NULL, which the transport reports as a delivery failure.
#include <curl/curl.h>
#include <dlfcn.h>
#include <stddef.h>

/// The address of libcurl's `name`, loading libcurl.so.4 once; NULL when it cannot be loaded.
/// dlopen(3) is thread-safe and reference-counted, so two threads racing here only load it once.
static inline void *pim_curl_function(const char *name) {
    static void *library;
    void *handle = __atomic_load_n(&library, __ATOMIC_ACQUIRE);
    if (handle == NULL) {
        handle = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
        if (handle == NULL) return NULL;
        __atomic_store_n(&library, handle, __ATOMIC_RELEASE);
    }
    return dlsym(handle, name);
}

/// `function`'s address in libcurl, typed like its declaration in curl.h.
#define PIM_CURL_FUNCTION(function) ((__typeof__(&function))pim_curl_function(#function))

static inline CURLcode pim_curl_global_init(long flags) {
    __typeof__(&curl_global_init) function = PIM_CURL_FUNCTION(curl_global_init);
    return function ? function(flags) : CURLE_FAILED_INIT;
}

static inline CURL *pim_curl_easy_init(void) {
    __typeof__(&curl_easy_init) function = PIM_CURL_FUNCTION(curl_easy_init);
    return function ? function() : NULL;
}

static inline void pim_curl_easy_cleanup(CURL *handle) {
    __typeof__(&curl_easy_cleanup) function = PIM_CURL_FUNCTION(curl_easy_cleanup);
    if (function) function(handle);
}

static inline void pim_curl_easy_reset(CURL *handle) {
    __typeof__(&curl_easy_reset) function = PIM_CURL_FUNCTION(curl_easy_reset);
    if (function) function(handle);
}

static inline CURLcode pim_curl_easy_perform(CURL *handle) {
    __typeof__(&curl_easy_perform) function = PIM_CURL_FUNCTION(curl_easy_perform);
    return function ? function(handle) : CURLE_FAILED_INIT;
}

static inline const char *pim_curl_easy_strerror(CURLcode code) {
    __typeof__(&curl_easy_strerror) function = PIM_CURL_FUNCTION(curl_easy_strerror);
    return function ? function(code) : "libcurl.so.4 could not be loaded";
}

static inline struct curl_slist *pim_curl_slist_append(struct curl_slist *list, const char *string) {
    __typeof__(&curl_slist_append) function = PIM_CURL_FUNCTION(curl_slist_append);
    return function ? function(list, string) : NULL;
}

static inline void pim_curl_slist_free_all(struct curl_slist *list) {
    __typeof__(&curl_slist_free_all) function = PIM_CURL_FUNCTION(curl_slist_free_all);
    if (function) function(list);
}

static inline CURLcode pim_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    __typeof__(&curl_easy_setopt) function = PIM_CURL_FUNCTION(curl_easy_setopt);
    return function ? function(handle, option, value) : CURLE_FAILED_INIT;
}

static inline CURLcode pim_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    __typeof__(&curl_easy_setopt) function = PIM_CURL_FUNCTION(curl_easy_setopt);
    return function ? function(handle, option, value) : CURLE_FAILED_INIT;
}

static inline CURLcode pim_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    __typeof__(&curl_easy_setopt) function = PIM_CURL_FUNCTION(curl_easy_setopt);
    return function ? function(handle, option, value) : CURLE_FAILED_INIT;
}

static inline CURLcode pim_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    __typeof__(&curl_easy_setopt) function = PIM_CURL_FUNCTION(curl_easy_setopt);
    return function ? function(handle, option, value) : CURLE_FAILED_INIT;
}

static inline CURLcode pim_curl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
    __typeof__(&curl_easy_setopt) function = PIM_CURL_FUNCTION(curl_easy_setopt);
    return function ? function(handle, option, value) : CURLE_FAILED_INIT;
}

/// CURLOPT_READFUNCTION takes a function pointer (curl_read_callback).
static inline CURLcode pim_curl_setopt_read_function(CURL *handle, curl_read_callback callback) {
    __typeof__(&curl_easy_setopt) function = PIM_CURL_FUNCTION(curl_easy_setopt);
    return function ? function(handle, CURLOPT_READFUNCTION, callback) : CURLE_FAILED_INIT;
}

static inline CURLcode pim_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    __typeof__(&curl_easy_getinfo) function = PIM_CURL_FUNCTION(curl_easy_getinfo);
    return function ? function(handle, info, value) : CURLE_FAILED_INIT;
}

#endif
