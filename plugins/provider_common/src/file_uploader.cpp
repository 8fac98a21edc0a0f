#include "file_uploader.hpp"

#include <utility>

#include "provider_search.hpp"
#include "upload_parts.hpp"

namespace ajuste::provider {
namespace {

std::string text(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

FileUploader::FileUploader(ApiClient& api, Ledger& ledger, UploadSettings settings)
    : api_(api), ledger_(ledger), settings_(std::move(settings)) {}

Result<std::string> FileUploader::recordedFile(const nlohmann::json& entry, const LocalFile& file) {
  const std::string id = text(entry, "file_id");
  if (id.empty()) return std::string();
  ApiCall call;
  call.path = "/files/" + id;
  auto got = api_.send(call, "checking the recorded upload " + id);
  if (!got.ok()) return got.error();
  if (got->status == 404) {
    api_.context().info("the file " + id + " recorded in the run state no longer exists on the provider");
    return std::string();
  }
  if (!got->success()) return api_.failure(*got, "checking the recorded upload " + id);
  const auto body = nlohmann::json::parse(got->body, nullptr, false);
  const std::string status = body.is_object() ? text(body, "status") : std::string();
  if (status == "error" || status == "deleted" || status == "deleting" ||
      (body.is_object() && body.value("bytes", file.bytes) != file.bytes)) {
    api_.context().info("the file " + id + " recorded in the run state is " + status +
                        " on the provider; not using it");
    return std::string();
  }
  return id;
}

Result<std::string> FileUploader::createWithFilesApi(const LocalFile& file) {
  ApiCall call;
  call.method = "POST";
  call.path = "/files";
  MultipartField purpose;
  purpose.name = "purpose";
  purpose.value = "fine-tune";
  MultipartField content;
  content.name = "file";
  content.file = file.path;
  content.filename = file.upload_name;
  call.multipart = {std::move(purpose), std::move(content)};
  call.idempotency = Idempotency::kNotIdempotent;
  auto created = api_.call(call, "uploading " + file.upload_name);
  if (!created.ok()) return created.error();
  const std::string id = text(*created, "id");
  if (id.empty()) return Status::providerError("POST /files answered without a file id: " + created->dump());
  return id;
}

Status FileUploader::record(const std::string& key, nlohmann::json& entry, const std::string& file_id) {
  entry["file_id"] = file_id;
  entry.erase("pending");
  return ledger_.put(key, entry);
}

Result<UploadedFile> FileUploader::upload(const LocalFile& file, const std::string& label) {
  Context& ctx = api_.context();
  const std::string key = api_.endpoint().serviceKey() + " " + file.sha256;
  nlohmann::json entry = ledger_.find(key).value_or(nlohmann::json::object());
  entry["name"] = file.upload_name;
  entry["bytes"] = file.bytes;
  UploadedFile result;

  auto recorded = recordedFile(entry, file);
  if (!recorded.ok()) return recorded.error();
  if (!recorded->empty()) {
    result = {*recorded, "adopted from the run state", ""};
  } else {
    entry.erase("file_id");
    auto found = findUploadedFile(api_, file.upload_name, file.bytes);
    if (!found.ok()) return found.error();
    if (*found) {
      result = {text(**found, "id"), "adopted from the provider", ""};
      if (Status saved = record(key, entry, result.file_id); !saved.isOk()) return saved;
    }
  }

  for (int attempt = 1; result.file_id.empty(); ++attempt) {
    const bool in_parts = file.bytes > settings_.multipart_threshold_bytes;
    if (!in_parts || !entry.contains("pending")) {
      entry["pending"] = {{"via", in_parts ? "uploads" : "files"}};
    }
    entry["pending"]["attempt"] = attempt;
    if (Status saved = ledger_.put(key, entry); !saved.isOk()) return saved;
    auto created =
        in_parts ? uploadInParts(api_, ledger_, key, entry, file, settings_.part_size_bytes) : createWithFilesApi(file);
    if (created.ok()) {
      result = {*created, "uploaded", in_parts ? "uploads" : "files"};
      if (Status saved = record(key, entry, result.file_id); !saved.isOk()) return saved;
      ctx.count("files_uploaded");
      break;
    }
    if (created.error().code() != StatusCode::kUnknownOutcome) return created.error();
    ctx.warn(created.error().message() + "; looking on the provider before trying again");
    auto found = findUploadedFile(api_, file.upload_name, file.bytes);
    if (!found.ok()) return found.error();
    if (*found) {
      result = {text(**found, "id"), "adopted from the provider", ""};
      if (Status saved = record(key, entry, result.file_id); !saved.isOk()) return saved;
      break;
    }
    if (attempt >= settings_.max_create_attempts) {
      return Status::unknownOutcome("uploading " + file.upload_name + ": " + std::to_string(attempt) +
                                    " attempts lost their answer and the provider lists no such file; "
                                    "resume later to look again");
    }
    ctx.info(file.upload_name + " is not on the provider: the lost request did not create it; sending it again");
  }
  if (result.how != "uploaded") ctx.count("files_adopted");
  ctx.info(label + " " + file.path.filename().string() + " -> " + result.file_id + " (" + result.how +
           (result.via.empty() ? "" : ", " + result.via + " API") + ")");
  if (Status processed = waitUntilProcessed(api_, result.file_id, label, settings_.processing); !processed.isOk()) {
    return processed;
  }
  return result;
}

}  // namespace ajuste::provider
