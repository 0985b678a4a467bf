// Only what Swift cannot import from libcurl's headers: curl_easy_setopt and
// curl_easy_getinfo are variadic, so each argument type gets a typed wrapper. libcurl is opened
// on first use (see CLazyLoad.h): the wrappers are defined in loader.c.
// Each wrapper has a unit test against the C value (Tests/HTTPTransportTests).
#ifndef TIKCONV_CCURL_SHIM_H
#define TIKCONV_CCURL_SHIM_H

#include <curl/curl.h>
#include <stddef.h>

/// Opens libcurl; 0, or -1 with the reason in `err`.
int tk_curl_load(char *err, size_t err_len);

CURLcode tk_curl_setopt_long(CURL *h, CURLoption o, long v);
CURLcode tk_curl_setopt_off(CURL *h, CURLoption o, curl_off_t v);
CURLcode tk_curl_setopt_string(CURL *h, CURLoption o, const char *v);
CURLcode tk_curl_setopt_pointer(CURL *h, CURLoption o, void *v);
CURLcode tk_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v);
CURLcode tk_curl_setopt_mime(CURL *h, CURLoption o, curl_mime *v);

typedef size_t (*tk_curl_data_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
CURLcode tk_curl_setopt_write_function(CURL *h, tk_curl_data_callback f);
CURLcode tk_curl_setopt_header_function(CURL *h, tk_curl_data_callback f);
typedef int (*tk_curl_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);
CURLcode tk_curl_setopt_xferinfo_function(CURL *h, tk_curl_xferinfo_callback f);

CURLcode tk_curl_getinfo_long(CURL *h, CURLINFO i, long *out);
CURLcode tk_curl_getinfo_off(CURL *h, CURLINFO i, curl_off_t *out);
CURLcode tk_curl_getinfo_double(CURL *h, CURLINFO i, double *out);
CURLcode tk_curl_getinfo_string(CURL *h, CURLINFO i, char **out);

#endif
