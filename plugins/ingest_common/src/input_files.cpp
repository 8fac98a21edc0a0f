#include "ingest_common/input_files.hpp"

#include <algorithm>
#include <system_error>

#include <glob.h>

#include "ingest_common/decompress.hpp"

namespace ajuste::ingest {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kNamesListed = 12;

bool isGlob(std::string_view text) { return text.find_first_of("*?[") != std::string_view::npos; }

std::string quoted(std::string_view written, const fs::path& resolved) {
  std::string out = "'" + std::string(written) + "'";
  if (resolved.string() != written) out += " (resolved to '" + resolved.string() + "')";
  return out;
}

bool isRegularFile(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);  // follows symbolic links
}

std::uint64_t fileSize(const fs::path& path) {
  std::error_code error;
  const auto size = fs::file_size(path, error);
  return error ? 0 : static_cast<std::uint64_t>(size);
}

bool passes(const DirectoryFilter& filter, const std::string& name) {
  if (name.starts_with(".")) return false;
  const std::string_view bare = withoutCompressionSuffix(name);
  return std::any_of(filter.extensions.begin(), filter.extensions.end(),
                     [&](const std::string& extension) { return bare.ends_with(extension); });
}

std::string joinNames(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < kNamesListed; ++i) out += (i == 0 ? "" : ", ") + names[i];
  if (names.size() > kNamesListed) out += ", and " + std::to_string(names.size() - kNamesListed) + " more";
  return out;
}

std::string joinExtensions(const DirectoryFilter& filter) {
  std::string out;
  for (std::size_t i = 0; i < filter.extensions.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == filter.extensions.size() ? " or " : ", ") + filter.extensions[i];
  }
  return out;
}

std::string withSlash(std::string text) {
  if (!text.empty() && text.back() != '/') text += '/';
  return text;
}

Result<std::vector<InputFile>> listDirectory(std::string_view written, const fs::path& resolved,
                                             const DirectoryFilter& filter, const std::string& pointer) {
  std::vector<std::string> taken;
  std::vector<std::string> others;
  std::error_code error;
  for (fs::directory_iterator it(resolved, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (!isRegularFile(it->path())) continue;
    (passes(filter, name) ? taken : others).push_back(name);
  }
  if (error) return Status::ioError("cannot list directory " + quoted(written, resolved) + ": " + error.message());
  std::sort(taken.begin(), taken.end());
  std::sort(others.begin(), others.end());
  if (taken.empty()) {
    return Status::configError(pointer, "directory " + quoted(written, resolved) + " holds no " +
                                            joinExtensions(filter) + " file (compressed or not)" +
                                            (others.empty() ? std::string(" and no other file either")
                                                            : "; it holds: " + joinNames(others) +
                                                                  ". Name a file, or a glob such as '" +
                                                                  withSlash(std::string(written)) + "*.txt'"));
  }
  std::vector<InputFile> files;
  const std::string prefix = withSlash(std::string(written));
  for (const std::string& name : taken) {
    files.push_back(InputFile{prefix + name, resolved / name, fileSize(resolved / name)});
  }
  return files;
}

Result<std::vector<InputFile>> expandGlob(std::string_view written, const Context& ctx, const std::string& pointer) {
  // The part before the first wildcard's folder keeps the user's spelling in `display`.
  const std::size_t wildcard = written.find_first_of("*?[");
  const std::size_t slash = written.rfind('/', wildcard);
  const std::string written_prefix(slash == std::string_view::npos ? "" : written.substr(0, slash + 1));
  const fs::path resolved_pattern = ctx.resolvePath(written);
  const fs::path resolved_prefix =
      (written_prefix.empty() ? ctx.resolvePath(".") : ctx.resolvePath(written_prefix)).lexically_normal();

  glob_t matches{};
  const int result = ::glob(resolved_pattern.c_str(), GLOB_NOSORT, nullptr, &matches);
  std::vector<InputFile> files;
  std::vector<std::string> skipped;
  if (result == 0) {
    for (std::size_t i = 0; i < matches.gl_pathc; ++i) {
      const fs::path match(matches.gl_pathv[i]);
      if (!isRegularFile(match)) {
        skipped.push_back(match.filename().string());
        continue;
      }
      const fs::path relative = match.lexically_normal().lexically_relative(resolved_prefix);
      const bool inside = !relative.empty() && *relative.begin() != "..";
      files.push_back(InputFile{inside ? written_prefix + relative.string() : match.string(), match, fileSize(match)});
    }
  }
  ::globfree(&matches);
  if (result != 0 && result != GLOB_NOMATCH) {
    return Status::ioError("cannot expand the glob " + quoted(written, resolved_pattern) +
                           (result == GLOB_NOSPACE ? ": out of memory" : ": a folder could not be read"));
  }
  if (files.empty()) {
    return Status::configError(pointer, "no file matches the glob " + quoted(written, resolved_pattern) +
                                            (skipped.empty() ? std::string()
                                                             : " (it matches only folders: " + joinNames(skipped) + ")") +
                                            "; a relative path starts from the folder of the pipeline file");
  }
  std::sort(files.begin(), files.end(),
            [](const InputFile& a, const InputFile& b) { return a.resolved.string() < b.resolved.string(); });
  return files;
}

}  // namespace

Result<std::vector<InputFile>> expandInputs(std::string_view written, const Context& ctx, const DirectoryFilter& filter,
                                            const std::string& option_pointer) {
  const fs::path resolved = ctx.resolvePath(written);
  std::error_code error;
  const fs::file_status status = fs::status(resolved, error);
  if (fs::exists(status)) {
    if (fs::is_directory(status)) return listDirectory(written, resolved, filter, option_pointer);
    return std::vector<InputFile>{InputFile{std::string(written), resolved, fileSize(resolved)}};
  }
  if (isGlob(written)) return expandGlob(written, ctx, option_pointer);
  return Status::configError(option_pointer,
                             "input " + quoted(written, resolved) +
                                 " does not exist; a relative path starts from the folder of the pipeline file, "
                                 "and a directory or a glob ('data/*" +
                                 (filter.extensions.empty() ? std::string(".jsonl") : filter.extensions.front()) +
                                 "') names several files");
}

}  // namespace ajuste::ingest
