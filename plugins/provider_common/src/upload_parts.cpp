#include "upload_parts.hpp"

#include <algorithm>

#include "provider_search.hpp"

namespace ajuste::provider {
namespace {

constexpr int kMaxStarts = 3;

std::string text(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The pending multipart state, if `entry` holds one made with this part size.
bool resumable(const nlohmann::json& entry, std::uint64_t part_size) {
  const auto pending = entry.find("pending");
  return pending != entry.end() && pending->is_object() && text(*pending, "via") == "uploads" &&
         !text(*pending, "upload_id").empty() && pending->value("part_size", std::uint64_t{0}) == part_size &&
         pending->contains("part_ids") && (*pending)["part_ids"].is_array();
}

Result<std::string> startUpload(ApiClient& api, const LocalFile& file) {
  ApiCall call;
  call.method = "POST";
  call.path = "/uploads";
  call.json = nlohmann::json{
      {"filename", file.upload_name}, {"purpose", "fine-tune"}, {"bytes", file.bytes}, {"mime_type", "text/jsonl"}};
  // An Upload nobody completes costs nothing and expires: repeating the request is harmless.
  call.idempotency = Idempotency::kIdempotent;
  auto created = api.call(call, "starting a multipart upload of " + file.upload_name);
  if (!created.ok()) return created.error();
  const std::string id = text(*created, "id");
  if (id.empty()) return Status::providerError("POST /uploads answered without an upload id: " + created->dump());
  return id;
}

}  // namespace

Result<std::string> uploadInParts(ApiClient& api, Ledger& ledger, const std::string& key, nlohmann::json& entry,
                                  const LocalFile& file, std::uint64_t part_size) {
  Context& ctx = api.context();
  const std::uint64_t part_count = std::max<std::uint64_t>(1, (file.bytes + part_size - 1) / part_size);
  for (int start = 0; start < kMaxStarts; ++start) {
    if (!resumable(entry, part_size)) {
      auto upload_id = startUpload(api, file);
      if (!upload_id.ok()) return upload_id.error();
      entry["pending"] = {{"via", "uploads"},
                          {"upload_id", *upload_id},
                          {"part_size", part_size},
                          {"part_ids", nlohmann::json::array()}};
      if (Status saved = ledger.put(key, entry); !saved.isOk()) return saved;
      ctx.info("uploading " + file.upload_name + " in " + std::to_string(part_count) + " part(s) (upload " +
               *upload_id + ")");
    } else {
      ctx.info("resuming the multipart upload " + text(entry["pending"], "upload_id") + " of " + file.upload_name +
               " at part " + std::to_string(entry["pending"]["part_ids"].size() + 1) + " of " +
               std::to_string(part_count));
    }
    nlohmann::json& pending = entry["pending"];
    const std::string upload_id = text(pending, "upload_id");
    bool restart = false;
    for (std::uint64_t index = pending["part_ids"].size(); index < part_count && !restart; ++index) {
      ApiCall call;
      call.method = "POST";
      call.path = "/uploads/" + upload_id + "/parts";
      MultipartField data;
      data.name = "data";
      data.file = file.path;
      data.offset = index * part_size;
      data.length = std::min(part_size, file.bytes - data.offset);
      data.filename = file.upload_name;
      call.multipart.push_back(std::move(data));
      call.idempotency = Idempotency::kIdempotent;
      const std::string what =
          "uploading part " + std::to_string(index + 1) + "/" + std::to_string(part_count) + " of " + file.upload_name;
      auto sent = api.send(call, what);
      if (!sent.ok()) return sent.error();
      if (sent->status >= 400 && sent->status < 500 && sent->status != 429) {
        // The Upload is gone (expired, cancelled, unknown): its parts are lost with it.
        ctx.warn(api.failure(*sent, what).message() + "; starting the upload again");
        entry.erase("pending");
        restart = true;
        break;
      }
      if (!sent->success()) return api.failure(*sent, what);
      const auto part = nlohmann::json::parse(sent->body, nullptr, false);
      const std::string part_id = part.is_object() ? text(part, "id") : std::string();
      if (part_id.empty()) return Status::providerError(what + ": the answer carries no part id: " + sent->body);
      pending["part_ids"].push_back(part_id);
      if (Status saved = ledger.put(key, entry); !saved.isOk()) return saved;
      ctx.progress(std::min(file.bytes, (index + 1) * part_size), file.bytes);
    }
    if (restart) continue;

    ApiCall complete;
    complete.method = "POST";
    complete.path = "/uploads/" + upload_id + "/complete";
    complete.json = nlohmann::json{{"part_ids", pending["part_ids"]}};
    complete.idempotency = Idempotency::kNotIdempotent;
    const std::string what = "completing the upload of " + file.upload_name;
    auto done = api.send(complete, what);
    if (!done.ok()) return done.error();  // kUnknownOutcome: the caller looks for the file
    if (done->success()) {
      const auto body = nlohmann::json::parse(done->body, nullptr, false);
      const auto made = body.is_object() ? body.find("file") : body.end();
      if (made == body.end() || !made->is_object() || text(*made, "id").empty()) {
        return Status::providerError(what + ": the completed upload names no file: " + done->body);
      }
      return text(*made, "id");
    }
    if (done->status < 400 || done->status >= 500 || done->status == 429) return api.failure(*done, what);
    // Refused: maybe an earlier completion did go through; otherwise the Upload is unusable.
    auto found = findUploadedFile(api, file.upload_name, file.bytes);
    if (!found.ok()) return found.error();
    if (*found) return text(**found, "id");
    ctx.warn(api.failure(*done, what).message() + "; starting the upload again");
    entry.erase("pending");
  }
  return Status::providerError("the multipart upload of " + file.upload_name + " failed " + std::to_string(kMaxStarts) +
                               " times; see the warnings above");
}

}  // namespace ajuste::provider
