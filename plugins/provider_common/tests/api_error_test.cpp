#include "api_error.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ajuste::provider {
namespace {

HttpResponse response(long status, std::string body, std::vector<HttpHeader> headers = {}) {
  HttpResponse out;
  out.status = status;
  out.body = std::move(body);
  out.headers = std::move(headers);
  return out;
}

TEST(ApiError, ReadsOpenAiShapeWithRequestId) {
  const auto error = parseApiError(response(
      400,
      R"({"error": {"message": "Invalid file format. Line 3: bad", "type": "invalid_request_error", "param": "training_file", "code": "invalid_file"}})",
      {{"X-Request-Id", "req_123"}}));
  EXPECT_EQ(error.status, 400);
  EXPECT_EQ(error.message, "Invalid file format. Line 3: bad");
  EXPECT_EQ(error.code, "invalid_file");
  EXPECT_EQ(error.param, "training_file");
  EXPECT_EQ(error.request_id, "req_123");
  EXPECT_EQ(
      error.describe(),
      "HTTP 400: Invalid file format. Line 3: bad (code invalid_file, param training_file, x-request-id req_123)");
}

TEST(ApiError, ReadsMicrosoftShapeWithTargetDetailsAndApimRequestId) {
  const auto error = parseApiError(
      response(400,
               R"({"error": {"code": "invalidPayload", "message": "The file is invalid.", "target": "training_file",
          "details": [{"code": "jsonlValidationFailed", "message": "Line 7: missing messages"}],
          "innererror": {"code": "jsonlValidationFailed"}}})",
               {{"apim-request-id", "abc-1"}}));
  EXPECT_EQ(error.code, "invalidPayload/jsonlValidationFailed");
  EXPECT_EQ(error.message, "The file is invalid.; Line 7: missing messages");
  EXPECT_EQ(error.param, "training_file");
  EXPECT_EQ(error.request_id, "abc-1");
}

TEST(ApiError, NullFieldsAreEmptyAndNonJsonBodiesBecomeTheMessage) {
  const auto nulls =
      parseApiError(response(401, R"({"error": {"message": "No key", "type": "x", "param": null, "code": null}})"));
  EXPECT_EQ(nulls.code, "");
  EXPECT_EQ(nulls.param, "");
  EXPECT_EQ(nulls.describe(), "HTTP 401: No key");
  const auto html = parseApiError(response(502, "<html>Bad gateway</html>"));
  EXPECT_EQ(html.message, "<html>Bad gateway</html>");
  const auto long_body = parseApiError(response(500, std::string(1000, 'x')));
  EXPECT_EQ(long_body.message.size(), 303u);
}

}  // namespace
}  // namespace ajuste::provider
