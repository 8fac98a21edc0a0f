#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <httplib.h>

namespace ajuste::emulator {

struct FormPart {
  std::string name;
  std::string filename;
  std::string content_type;
  std::string content;
};

// A request body as the routes use it: raw bytes, or the parts of a multipart form.
struct RequestBody {
  bool multipart = false;
  std::string raw;
  std::vector<FormPart> parts;

  [[nodiscard]] const FormPart* part(const std::string& name) const;
};

// Reads the body through httplib's streaming reader, so the emulator decides how much of it to
// take. With `stop_after`, reading stops once that many bytes arrived (the dropped-connection
// fault) and the function returns false; it also returns false when the client's body breaks off.
bool readBody(const httplib::Request& request, const httplib::ContentReader& reader, RequestBody& out,
              std::optional<std::size_t> stop_after = std::nullopt);

}  // namespace ajuste::emulator
