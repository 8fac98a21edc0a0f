#include "http/curl_http_client.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <system_error>
#include <thread>

#include <curl/curl.h>

namespace ajuste {

namespace {

// curl_global_init is not thread-safe: run it once, before any handle exists.
void initCurlOnce() {
  static const bool initialized = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
  (void)initialized;
}

// Failures where curl never got a byte of the request to the server: always safe to repeat.
bool failedBeforeSending(CURLcode code) {
  return code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_RESOLVE_PROXY || code == CURLE_COULDNT_CONNECT ||
         code == CURLE_SSL_CONNECT_ERROR;
}

std::string describeUrl(const HttpRequest& request) { return request.method + " " + request.url; }

std::string formatSeconds(std::chrono::milliseconds duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(duration.count()) / 1000.0);
  return text;
}

// A byte range of a file, read by curl through callbacks while it streams a multipart field.
struct FileRange {
  std::FILE* file = nullptr;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  std::uint64_t position = 0;
  ~FileRange() {
    if (file != nullptr) std::fclose(file);
  }
};

std::size_t readRange(char* buffer, std::size_t size, std::size_t items, void* arg) {
  auto* range = static_cast<FileRange*>(arg);
  const std::uint64_t left = range->length - range->position;
  const std::size_t wanted = static_cast<std::size_t>(std::min<std::uint64_t>(left, size * items));
  if (wanted == 0) return 0;
  const std::size_t got = std::fread(buffer, 1, wanted, range->file);
  if (got == 0) return CURL_READFUNC_ABORT;  // the file shrank under us
  range->position += got;
  return got;
}

int seekRange(void* arg, curl_off_t offset, int origin) {
  auto* range = static_cast<FileRange*>(arg);
  if (origin != SEEK_SET || offset < 0 || static_cast<std::uint64_t>(offset) > range->length) return CURL_SEEKFUNC_CANTSEEK;
  if (::fseeko(range->file, static_cast<off_t>(range->offset + static_cast<std::uint64_t>(offset)), SEEK_SET) != 0) {
    return CURL_SEEKFUNC_FAIL;
  }
  range->position = static_cast<std::uint64_t>(offset);
  return CURL_SEEKFUNC_OK;
}

struct Transfer {
  const HttpRequest* request = nullptr;
  HttpResponse* response = nullptr;
  CURL* handle = nullptr;
  std::FILE* download = nullptr;
  const std::atomic<bool>* interrupted = nullptr;
  bool aborted = false;
};

std::size_t onHeader(char* data, std::size_t size, std::size_t items, void* arg) {
  auto* transfer = static_cast<Transfer*>(arg);
  std::string_view line(data, size * items);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.starts_with("HTTP/")) {
    transfer->response->headers.clear();  // a new response (after 100 Continue, say)
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    transfer->response->headers.push_back({std::string(line.substr(0, colon)), std::string(value)});
  }
  return size * items;
}

std::size_t onBody(char* data, std::size_t size, std::size_t items, void* arg) {
  auto* transfer = static_cast<Transfer*>(arg);
  long status = 0;
  curl_easy_getinfo(transfer->handle, CURLINFO_RESPONSE_CODE, &status);
  if (transfer->download != nullptr && status >= 200 && status < 300) {
    return std::fwrite(data, 1, size * items, transfer->download);
  }
  transfer->response->body.append(data, size * items);
  return size * items;
}

int onProgress(void* arg, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* transfer = static_cast<Transfer*>(arg);
  if (transfer->interrupted != nullptr && transfer->interrupted->load()) {
    transfer->aborted = true;
    return 1;
  }
  return 0;
}

}  // namespace

struct CurlHttpClient::Attempt {
  Status setup;                 // a local problem (unreadable file): not worth retrying
  CURLcode code = CURLE_OK;
  std::string error;            // curl's message when code != OK
  HttpResponse response;
  bool request_fully_sent = false;
  bool aborted = false;
  std::chrono::milliseconds elapsed{0};
};

CurlHttpClient::CurlHttpClient(HttpClientSettings settings, LogFunction log, const std::atomic<bool>* interrupted)
    : settings_(std::move(settings)), log_(std::move(log)), interrupted_(interrupted) {
  initCurlOnce();
}

CurlHttpClient::~CurlHttpClient() {
  for (void* handle : idle_handles_) curl_easy_cleanup(static_cast<CURL*>(handle));
}

void* CurlHttpClient::takeHandle() {
  {
    const std::lock_guard lock(mutex_);
    if (!idle_handles_.empty()) {
      void* handle = idle_handles_.back();
      idle_handles_.pop_back();
      curl_easy_reset(static_cast<CURL*>(handle));
      return handle;
    }
  }
  return curl_easy_init();
}

void CurlHttpClient::returnHandle(void* handle) {
  const std::lock_guard lock(mutex_);
  idle_handles_.push_back(handle);
}

double CurlHttpClient::nextJitter() {
  const std::lock_guard lock(mutex_);
  return std::uniform_real_distribution<double>(0, 1)(jitter_);
}

bool CurlHttpClient::sleepUnlessInterrupted(std::chrono::milliseconds duration, const HttpRequest& request) const {
  const auto until = std::chrono::steady_clock::now() + duration;
  while (std::chrono::steady_clock::now() < until) {
    if (stopRequested(request)) return false;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(50)));
  }
  return !stopRequested(request);
}

CurlHttpClient::Attempt CurlHttpClient::perform(const HttpRequest& request) {
  Attempt attempt;
  auto* curl = static_cast<CURL*>(takeHandle());
  if (curl == nullptr) {
    attempt.setup = Status::internal("libcurl could not create a handle (out of memory?)");
    return attempt;
  }
  Transfer transfer{&request, &attempt.response, curl, nullptr,
                    request.send_when_interrupted ? nullptr : interrupted_, false};

  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  if (!isIdempotent(request)) {
    // libcurl silently sends a request again when a reused keep-alive connection turns out to
    // be dead before any answer, and a create whose answer was lost would then happen twice: a
    // create always gets a connection of its own.
    curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(curl, CURLOPT_FORBID_REUSE, 1L);
  }
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  for (const char* variable : {"SSL_CERT_FILE", "CURL_CA_BUNDLE"}) {
    if (const char* bundle = std::getenv(variable); bundle != nullptr && *bundle != '\0') {
      curl_easy_setopt(curl, CURLOPT_CAINFO, bundle);
      break;
    }
  }
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(settings_.connect_timeout.count()));
  const auto timeout = request.timeout.count() > 0 ? request.timeout : settings_.timeout;
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_USERAGENT, settings_.user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // gzip'd JSON when the server offers it
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, onHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, onProgress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
  char error_buffer[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);

  curl_slist* headers = nullptr;
  for (const auto& header : request.headers) {
    headers = curl_slist_append(headers, (header.name + ": " + header.value).c_str());
  }
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip before bodies
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

  curl_mime* mime = nullptr;
  std::vector<std::unique_ptr<FileRange>> ranges;
  if (!request.multipart.empty()) {
    mime = curl_mime_init(curl);
    for (const auto& field : request.multipart) {
      curl_mimepart* part = curl_mime_addpart(mime);
      curl_mime_name(part, field.name.c_str());
      if (field.file.empty()) {
        curl_mime_data(part, field.value.data(), field.value.size());
        if (!field.filename.empty()) curl_mime_filename(part, field.filename.c_str());
      } else {
        auto range = std::make_unique<FileRange>();
        std::error_code ec;
        const std::uint64_t size = std::filesystem::file_size(field.file, ec);
        range->file = ec ? nullptr : std::fopen(field.file.c_str(), "rb");
        if (range->file == nullptr || field.offset > size) {
          attempt.setup = Status::ioError("cannot read " + field.file.string() + " to upload it" +
                                          (ec ? ": " + ec.message() : std::string()));
          break;
        }
        range->offset = field.offset;
        range->length = field.length ? std::min(*field.length, size - field.offset) : size - field.offset;
        ::fseeko(range->file, static_cast<off_t>(range->offset), SEEK_SET);
        curl_mime_data_cb(part, static_cast<curl_off_t>(range->length), readRange, seekRange, nullptr, range.get());
        const std::string filename = field.filename.empty() ? field.file.filename().string() : field.filename;
        curl_mime_filename(part, filename.c_str());
        ranges.push_back(std::move(range));
      }
      const std::string type =
          !field.content_type.empty() ? field.content_type : (field.file.empty() ? "" : "application/octet-stream");
      if (!type.empty()) curl_mime_type(part, type.c_str());
    }
    curl_easy_setopt(curl, CURLOPT_MIMEPOST, mime);
    if (request.method != "POST") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  } else if (request.method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else {
    if (request.method == "POST" || !request.body.empty()) {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    }
    if (request.method != "POST") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }

  std::filesystem::path partial;
  if (attempt.setup.isOk() && !request.download_to.empty()) {
    partial = request.download_to.string() + ".part";
    transfer.download = std::fopen(partial.c_str(), "wb");
    if (transfer.download == nullptr) attempt.setup = Status::ioError("cannot write " + partial.string());
  }

  if (attempt.setup.isOk()) {
    const auto started = std::chrono::steady_clock::now();
    attempt.code = curl_easy_perform(curl);
    attempt.elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &attempt.response.status);
    curl_off_t uploaded = 0;
    curl_off_t to_upload = -1;
    curl_easy_getinfo(curl, CURLINFO_SIZE_UPLOAD_T, &uploaded);
    curl_easy_getinfo(curl, CURLINFO_CONTENT_LENGTH_UPLOAD_T, &to_upload);
    // A create is only ambiguous once all of it went out: a server cannot act on half a body.
    attempt.request_fully_sent = !failedBeforeSending(attempt.code) && (to_upload <= 0 || uploaded >= to_upload);
    attempt.aborted = transfer.aborted;
    if (attempt.code != CURLE_OK) {
      attempt.error = error_buffer[0] != '\0' ? std::string(error_buffer) : curl_easy_strerror(attempt.code);
    }
  }
  if (transfer.download != nullptr) {
    const bool closed = std::fclose(transfer.download) == 0;
    std::error_code ignored;
    if (attempt.setup.isOk() && attempt.code == CURLE_OK && attempt.response.success()) {
      if (!closed) {
        attempt.setup = Status::ioError("cannot write " + partial.string());
      } else {
        std::filesystem::rename(partial, request.download_to, ignored);
        if (ignored) attempt.setup = Status::ioError("cannot write " + request.download_to.string());
      }
    }
    std::filesystem::remove(partial, ignored);
  }
  if (mime != nullptr) curl_mime_free(mime);
  curl_slist_free_all(headers);
  returnHandle(curl);
  return attempt;
}

Result<HttpResponse> CurlHttpClient::send(const HttpRequest& request) {
  const bool idempotent = isIdempotent(request);
  const int max_retries = request.max_retries >= 0 ? request.max_retries : settings_.retry.max_retries;
  for (int retries = 0;; ++retries) {
    if (stopRequested(request)) return Status::cancelled();
    Attempt attempt = perform(request);
    if (!attempt.setup.isOk()) return attempt.setup;
    if (attempt.aborted) return Status::cancelled("interrupted during " + describeUrl(request));

    std::chrono::milliseconds delay{0};
    std::string why;
    if (attempt.code != CURLE_OK) {
      why = attempt.error;
      if (!idempotent && attempt.request_fully_sent) {
        return Status::unknownOutcome(describeUrl(request) + ": the connection failed after the request was sent (" +
                                      attempt.error + "); it may or may not have been carried out");
      }
      if (retries >= max_retries) {
        return Status::providerError(describeUrl(request) + " failed after " + std::to_string(retries + 1) +
                                     " attempts: " + attempt.error);
      }
      delay = backoffDelay(settings_.retry, retries, nextJitter());
    } else {
      HttpResponse& response = attempt.response;
      response.attempts = retries + 1;
      const std::string id = response.requestId();
      log_(LogLevel::kDebug, describeUrl(request) + " -> " + std::to_string(response.status) + " in " +
                                 formatSeconds(attempt.elapsed) + (id.empty() ? "" : " (x-request-id " + id + ")"));
      if (!isRetryableStatus(response) || retries >= max_retries) return std::move(response);
      why = "HTTP " + std::to_string(response.status) + (id.empty() ? "" : " (x-request-id " + id + ")");
      const auto asked = serverRetryDelay(response, settings_.retry, std::chrono::system_clock::now());
      delay = asked ? *asked
                    : backoffDelay(settings_.retry, retries, nextJitter());
    }
    log_(LogLevel::kWarn, describeUrl(request) + ": " + why + "; retry " + std::to_string(retries + 1) + "/" +
                              std::to_string(max_retries) + " in " + formatSeconds(delay));
    if (!sleepUnlessInterrupted(delay, request)) return Status::cancelled("interrupted while waiting to retry " + describeUrl(request));
  }
}

}  // namespace ajuste
