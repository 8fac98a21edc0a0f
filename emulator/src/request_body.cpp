#include "request_body.hpp"

namespace ajuste::emulator {

const FormPart* RequestBody::part(const std::string& name) const {
  for (const auto& item : parts) {
    if (item.name == name) return &item;
  }
  return nullptr;
}

bool readBody(const httplib::Request& request, const httplib::ContentReader& reader, RequestBody& out,
              std::optional<std::size_t> stop_after) {
  std::size_t received = 0;
  auto take = [&](std::size_t length) {
    received += length;
    return !stop_after || received < *stop_after;
  };
  if (request.is_multipart_form_data()) {
    out.multipart = true;
    return reader(
        [&](const httplib::MultipartFormData& header) {
          out.parts.push_back(FormPart{header.name, header.filename, header.content_type, {}});
          return true;
        },
        [&](const char* data, std::size_t length) {
          if (!out.parts.empty()) out.parts.back().content.append(data, length);
          return take(length);
        });
  }
  return reader([&](const char* data, std::size_t length) {
    out.raw.append(data, length);
    return take(length);
  });
}

}  // namespace ajuste::emulator
