#include "local_file.hpp"

#include <system_error>

#include "hashing/sha256.hpp"

namespace ajuste::provider {

std::string uploadName(const std::filesystem::path& path, std::string_view sha256) {
  std::string stem = path.stem().string();
  if (stem.empty()) stem = "data";
  return stem + "-" + std::string(sha256.substr(0, 12)) + ".jsonl";
}

Result<LocalFile> describeLocalFile(const std::filesystem::path& path) {
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(path, ec);
  if (ec) return Status::ioError("cannot read '" + path.string() + "' to upload it: " + ec.message());
  auto digest = hashing::sha256OfFile(path);
  if (!digest.ok()) return digest.error();
  LocalFile file;
  file.path = path;
  file.sha256 = std::move(digest).value();
  file.bytes = bytes;
  file.upload_name = uploadName(path, file.sha256);
  return file;
}

namespace {

bool isSha256Hex(const nlohmann::json& value) {
  if (!value.is_string()) return false;
  const auto& text = value.get_ref<const std::string&>();
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

Result<std::optional<LocalFile>> fileArtifact(Context& ctx, std::string_view name) {
  const auto artifact = ctx.artifact(name);
  if (!artifact || artifact->is_null()) return std::optional<LocalFile>();
  std::string text;
  if (artifact->is_string()) {
    text = artifact->get<std::string>();
  } else if (artifact->is_object() && artifact->contains("path") && (*artifact)["path"].is_string()) {
    text = (*artifact)["path"].get<std::string>();
  } else {
    return Status::dataError("artifact '" + std::string(name) +
                             "' should be a path or an object with a \"path\", got " + artifact->dump());
  }
  const std::filesystem::path path = ctx.resolvePath(text);
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(path, ec);
  if (ec) {
    return Status::ioError("artifact '" + std::string(name) + "' names '" + path.string() +
                           "', which cannot be read: " + ec.message());
  }
  if (bytes == 0) return std::optional<LocalFile>();
  const bool described = artifact->is_object() && isSha256Hex(artifact->value("sha256", nlohmann::json())) &&
                         artifact->value("bytes", nlohmann::json()) == bytes;
  if (described) {
    const std::string sha256 = (*artifact)["sha256"].get<std::string>();
    return std::optional<LocalFile>(LocalFile{path, sha256, bytes, uploadName(path, sha256)});
  }
  auto file = describeLocalFile(path);
  if (!file.ok()) return file.error();
  return std::optional<LocalFile>(std::move(file).value());
}

}  // namespace ajuste::provider
