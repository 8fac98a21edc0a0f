#include "file_status.hpp"

namespace ajuste::provider {

Status waitUntilProcessed(ApiClient& api, const std::string& file_id, const std::string& label,
                          const PollSettings& poll) {
  Context& ctx = api.context();
  std::chrono::milliseconds waited{0};
  std::string last_status;
  for (;;) {
    ApiCall call;
    call.path = "/files/" + file_id;
    auto file = api.call(call, "checking " + label + " (" + file_id + ")");
    if (!file.ok()) return file.error();
    const auto status_field = file->find("status");
    const std::string status =
        status_field != file->end() && status_field->is_string() ? status_field->get<std::string>() : "processed";
    if (status == "processed") return Status::ok();
    if (status == "error" || status == "deleted" || status == "deleting") {
      const auto details = file->find("status_details");
      const std::string why =
          details != file->end() && details->is_string() ? details->get<std::string>() : "no details given";
      return Status::providerError("the provider refused " + label + " (" + file_id + "): status " + status + ": " +
                                   why);
    }
    if (status != last_status) {
      ctx.info(label + " " + file_id + " is " + status + " on the provider; waiting until it is processed");
      last_status = status;
    }
    if (waited >= poll.timeout) {
      return Status::providerError(
          label + " (" + file_id + ") is still '" + status + "' after " + std::to_string(waited.count() / 1000) +
          " s; the upload is recorded, so a re-run continues waiting instead of uploading again");
    }
    if (Status slept = ctx.wait(poll.interval); !slept.isOk()) return slept;
    waited += poll.interval;
  }
}

}  // namespace ajuste::provider
