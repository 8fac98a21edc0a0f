#include "ingest_common/open_input.hpp"

#include <string>

namespace ajuste::ingest {
namespace {

constexpr std::size_t kMagicBytes = 4;

std::string hexBytes(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (!out.empty()) out += ' ';
    out += kDigits[byte >> 4];
    out += kDigits[byte & 0x0F];
  }
  return out.empty() ? "nothing (the file is empty)" : out;
}

}  // namespace

Result<OpenedInput> openStream(std::unique_ptr<ByteStream> raw, const std::string& name) {
  std::string head(kMagicBytes, '\0');
  std::size_t filled = 0;
  while (filled < kMagicBytes) {
    auto got = raw->read(head.data() + filled, kMagicBytes - filled);
    if (!got.ok()) return got.error();
    if (*got == 0) break;
    filled += *got;
  }
  head.resize(filled);
  const Compression by_magic = compressionFromMagic(head);
  const Compression by_name = compressionFromName(name);
  if (by_name != Compression::kNone && by_magic == Compression::kNone) {
    return Status::dataError("'" + name + "' is named like a " + std::string(toString(by_name)) +
                             " file but does not start like one (its first bytes are " + hexBytes(head) +
                             "); rename it if it is not compressed, or check that the download finished");
  }
  auto stream = std::make_unique<ReplayStream>(std::move(head), std::move(raw));
  switch (by_magic) {
    case Compression::kGzip: return OpenedInput{gunzipStream(std::move(stream), name), by_magic};
    case Compression::kZstd: return OpenedInput{unzstdStream(std::move(stream), name), by_magic};
    case Compression::kNone: break;
  }
  return OpenedInput{std::move(stream), Compression::kNone};
}

Result<OpenedInput> openInput(const InputFile& file) {
  auto opened = FileStream::open(file.resolved, file.display);
  if (!opened.ok()) return opened.error();
  return openStream(std::move(opened).value(), file.display);
}

}  // namespace ajuste::ingest
