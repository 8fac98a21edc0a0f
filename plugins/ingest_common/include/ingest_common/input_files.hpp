#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "ajuste/context.hpp"
#include "ajuste/status.hpp"

namespace ajuste::ingest {

// One file a source will read.
struct InputFile {
  std::string display;              // how provenance and messages name it: the path as the user wrote it
  std::filesystem::path resolved;   // where it is on disk
  std::uint64_t size = 0;           // bytes on disk (compressed size for a compressed file)
};

// Which files of a directory a source reads: names ending in one of `extensions` once a
// compression suffix is taken off ({".csv", ".tsv"} takes "a.csv.gz"). Hidden files never count.
struct DirectoryFilter {
  std::vector<std::string> extensions;
};

// Expands a source's `path` option into files, in a deterministic order:
// - a file: itself (whatever its name);
// - a directory: its files (not sub-folders) that pass `filter`, sorted by name, byte-wise;
// - otherwise, when it holds * ? or [: a glob (POSIX glob(3) syntax), matching regular files
//   only, sorted byte-wise by path, whatever the locale.
// Relative paths start from the pipeline's folder (Context::resolvePath). Each file's `display`
// keeps the user's spelling ("data/*.csv" -> "data/a.csv"). A path naming nothing, an empty
// directory or a glob matching nothing is a config error at `option_pointer`.
[[nodiscard]] Result<std::vector<InputFile>> expandInputs(std::string_view written, const Context& ctx,
                                                          const DirectoryFilter& filter,
                                                          const std::string& option_pointer = "/path");

}  // namespace ajuste::ingest
