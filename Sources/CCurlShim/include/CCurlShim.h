// Typed, non-variadic wrappers around libcurl's variadic calls, which Swift cannot call.
#ifndef BOOKINGBOT_CCURLSHIM_H
#define BOOKINGBOT_CCURLSHIM_H

#include <curl/curl.h>

typedef size_t (*bb_curl_data_callback)(char *data, size_t size, size_t count, void *userdata);

CURLcode bb_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode bb_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode bb_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode bb_curl_setopt_data_callback(CURL *handle, CURLoption option, bb_curl_data_callback callback);
CURLcode bb_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);

CURLMcode bb_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value);

#endif
