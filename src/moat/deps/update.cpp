#include "moat/deps/update.hpp"

#include <curl/curl.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "moat/util/shared_library.hpp"

namespace moat::deps {

namespace {

/// libcurl, loaded when `db update` runs rather than linked: the TLS and authentication libraries
/// it pulls in cost every other command about 30 ms of start-up (most of a small scan's time).
struct Curl {
  decltype(&curl_global_init) global_init = nullptr;
  decltype(&curl_easy_init) easy_init = nullptr;
  decltype(&curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&curl_easy_setopt) easy_setopt = nullptr;
  decltype(&curl_easy_perform) easy_perform = nullptr;
  decltype(&curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&curl_easy_strerror) easy_strerror = nullptr;
  decltype(&curl_slist_append) slist_append = nullptr;
  decltype(&curl_slist_free_all) slist_free_all = nullptr;
};

/// The process-wide libcurl, or why it cannot be used.
Result<const Curl*> load_curl() {
  static const Result<Curl> loaded = []() -> Result<Curl> {
    // The soname libcurl4 installs.
    auto library = SharedLibrary::open("libcurl.so.4");
    if (!library) return std::unexpected(library.error());
    Curl curl;
    library->bind(curl.global_init, "curl_global_init");
    library->bind(curl.easy_init, "curl_easy_init");
    library->bind(curl.easy_cleanup, "curl_easy_cleanup");
    library->bind(curl.easy_setopt, "curl_easy_setopt");
    library->bind(curl.easy_perform, "curl_easy_perform");
    library->bind(curl.easy_getinfo, "curl_easy_getinfo");
    library->bind(curl.easy_strerror, "curl_easy_strerror");
    library->bind(curl.slist_append, "curl_slist_append");
    library->bind(curl.slist_free_all, "curl_slist_free_all");
    if (auto complete = library->complete("libcurl 7.85 or later"); !complete) return std::unexpected(complete.error());
    if (curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return fail("libcurl.so.4", "cannot initialise libcurl");
    return curl;
  }();
  if (!loaded) return std::unexpected(loaded.error());
  return &*loaded;
}

constexpr curl_off_t kMaxDownloadBytes = curl_off_t{1} << 30;

struct Download {
  std::FILE* file = nullptr;
  std::size_t bytes = 0;
  std::string etag;
  std::string last_modified;
};

std::size_t write_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* download = static_cast<Download*>(user);
  const std::size_t written = std::fwrite(data, size, count, download->file);
  download->bytes += written * size;
  return written * size;
}

std::string header_value(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return {};
  for (std::size_t index = 0; index < name.size(); ++index)
    if (std::tolower(static_cast<unsigned char>(line[index])) != name[index]) return {};
  std::string_view value = line.substr(name.size() + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.remove_suffix(1);
  return std::string(value);
}

std::size_t read_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* download = static_cast<Download*>(user);
  const std::string_view line(data, size * count);
  if (auto value = header_value(line, "etag"); !value.empty()) download->etag = value;
  if (auto value = header_value(line, "last-modified"); !value.empty()) download->last_modified = value;
  return size * count;
}

}  // namespace

Result<UpdateResult> update_database(const std::string& url, const std::filesystem::path& database_path,
                                     long timeout_seconds) {
  std::map<std::string, std::string> previous;
  std::error_code error;
  if (std::filesystem::exists(database_path, error))
    if (auto existing = Database::open(database_path)) previous = existing->metadata();
  std::filesystem::create_directories(database_path.parent_path().empty() ? "." : database_path.parent_path(), error);
  const auto download_path = database_path.parent_path() / (database_path.filename().string() + ".download-" + std::to_string(::getpid()) + ".zip");
  struct Cleanup {
    std::filesystem::path path;
    ~Cleanup() {
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
    }
  } cleanup{download_path};

  Download download;
  download.file = std::fopen(download_path.c_str(), "wb");
  if (download.file == nullptr) return fail(download_path.string(), "cannot create the download file");

  auto curl_library = load_curl();
  if (!curl_library) return fail(url, curl_library.error().to_string());
  const Curl& curl = **curl_library;
  std::unique_ptr<CURL, decltype(curl.easy_cleanup)> session(curl.easy_init(), curl.easy_cleanup);
  std::unique_ptr<curl_slist, decltype(curl.slist_free_all)> headers(nullptr, curl.slist_free_all);
  // Conditional GET: only when the previous database came from the same URL.
  if (previous["source"] == url) {
    curl_slist* list = nullptr;
    if (!previous["etag"].empty()) list = curl.slist_append(list, ("If-None-Match: " + previous["etag"]).c_str());
    if (!previous["last_modified"].empty())
      list = curl.slist_append(list, ("If-Modified-Since: " + previous["last_modified"]).c_str());
    headers.reset(list);
  }
  CURL* handle = session.get();
  curl.easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl.easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl.easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  curl.easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 1L);
  curl.easy_setopt(handle, CURLOPT_MAXREDIRS, 5L);
  curl.easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
  curl.easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
  curl.easy_setopt(handle, CURLOPT_TIMEOUT, timeout_seconds);
  curl.easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, 30L);
  curl.easy_setopt(handle, CURLOPT_MAXFILESIZE_LARGE, kMaxDownloadBytes);
  curl.easy_setopt(handle, CURLOPT_USERAGENT, "moat/" MOAT_VERSION);
  curl.easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  curl.easy_setopt(handle, CURLOPT_WRITEFUNCTION, write_body);
  curl.easy_setopt(handle, CURLOPT_WRITEDATA, &download);
  curl.easy_setopt(handle, CURLOPT_HEADERFUNCTION, read_header);
  curl.easy_setopt(handle, CURLOPT_HEADERDATA, &download);
  const CURLcode code = curl.easy_perform(handle);
  const bool closed = std::fclose(download.file) == 0;
  if (code != CURLE_OK) {
    const std::string reason = code == CURLE_PARTIAL_FILE ? "download truncated" : curl.easy_strerror(code);
    return fail(url, reason + "; the existing database was kept");
  }
  if (!closed) return fail(download_path.string(), "cannot write the download");
  long status = 0;
  curl.easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  UpdateResult result;
  result.bytes = download.bytes;
  if (status == 304) {
    result.not_modified = true;
    return result;
  }
  if (status != 200) return fail(url, "server answered HTTP " + std::to_string(status) + "; the existing database was kept");

  auto imported = import_database({download_path}, database_path,
                                  {{"source", url}, {"etag", download.etag}, {"last_modified", download.last_modified}});
  if (!imported) return fail(url, imported.error().to_string() + "; the existing database was kept");
  result.stats = std::move(*imported);
  return result;
}

}  // namespace moat::deps
