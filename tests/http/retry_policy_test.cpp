#include "http/retry_policy.hpp"

#include <gtest/gtest.h>

namespace ajuste {
namespace {

using std::chrono::milliseconds;

HttpResponse withHeaders(long status, std::vector<HttpHeader> headers) {
  HttpResponse response;
  response.status = status;
  response.headers = std::move(headers);
  return response;
}

TEST(RetryPolicy, RetriesTheStatusesTheOfficialClientsRetry) {
  for (long status : {408L, 409L, 429L, 500L, 502L, 503L, 504L}) {
    EXPECT_TRUE(isRetryableStatus(withHeaders(status, {}))) << status;
  }
  for (long status : {200L, 201L, 400L, 401L, 403L, 404L, 413L, 422L}) {
    EXPECT_FALSE(isRetryableStatus(withHeaders(status, {}))) << status;
  }
}

TEST(RetryPolicy, TheServersShouldRetryHeaderWins) {
  EXPECT_FALSE(isRetryableStatus(withHeaders(503, {{"X-Should-Retry", "false"}})));
  EXPECT_TRUE(isRetryableStatus(withHeaders(400, {{"x-should-retry", "true"}})));
}

TEST(RetryPolicy, RetryAfterMsComesFirstThenSecondsThenAnHttpDate) {
  const RetryPolicy policy;
  const auto now = std::chrono::system_clock::from_time_t(1'445'412'470);  // Wed, 21 Oct 2015 07:27:50 GMT
  EXPECT_EQ(serverRetryDelay(withHeaders(429, {{"retry-after-ms", "250"}, {"retry-after", "9"}}), policy, now),
            milliseconds(250));
  EXPECT_EQ(serverRetryDelay(withHeaders(429, {{"Retry-After", "2"}}), policy, now), milliseconds(2000));
  EXPECT_EQ(serverRetryDelay(withHeaders(429, {{"Retry-After", "0.5"}}), policy, now), milliseconds(500));
  EXPECT_EQ(serverRetryDelay(withHeaders(503, {{"Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"}}), policy, now),
            milliseconds(10'000));
}

TEST(RetryPolicy, IgnoresRetryAfterThatIsMissingNegativeGarbledOrOverTheCap) {
  const RetryPolicy policy;
  const auto now = std::chrono::system_clock::now();
  EXPECT_FALSE(serverRetryDelay(withHeaders(429, {}), policy, now));
  EXPECT_FALSE(serverRetryDelay(withHeaders(429, {{"retry-after", "-3"}}), policy, now));
  EXPECT_FALSE(serverRetryDelay(withHeaders(429, {{"retry-after", "soon"}}), policy, now));
  EXPECT_FALSE(serverRetryDelay(withHeaders(429, {{"retry-after", "61"}}), policy, now));
  EXPECT_EQ(serverRetryDelay(withHeaders(429, {{"retry-after", "60"}}), policy, now), milliseconds(60'000));
}

TEST(RetryPolicy, BackoffDoublesFromHalfASecondUpToEightWithAtMostAQuarterOfJitter) {
  const RetryPolicy policy;
  EXPECT_EQ(backoffDelay(policy, 0, 0.0), milliseconds(500));
  EXPECT_EQ(backoffDelay(policy, 1, 0.0), milliseconds(1000));
  EXPECT_EQ(backoffDelay(policy, 3, 0.0), milliseconds(4000));
  EXPECT_EQ(backoffDelay(policy, 4, 0.0), milliseconds(8000));
  EXPECT_EQ(backoffDelay(policy, 40, 0.0), milliseconds(8000));
  EXPECT_EQ(backoffDelay(policy, 0, 1.0), milliseconds(375));
  EXPECT_EQ(backoffDelay(policy, 4, 0.5), milliseconds(7000));
}

TEST(RetryPolicy, PostsAreNotIdempotentUnlessTheCallerSaysSo) {
  HttpRequest request;
  for (const char* method : {"GET", "HEAD", "PUT", "DELETE"}) {
    request.method = method;
    EXPECT_TRUE(isIdempotent(request)) << method;
  }
  request.method = "POST";
  EXPECT_FALSE(isIdempotent(request));
  request.idempotency = Idempotency::kIdempotent;
  EXPECT_TRUE(isIdempotent(request));
  request.method = "GET";
  request.idempotency = Idempotency::kNotIdempotent;
  EXPECT_FALSE(isIdempotent(request));
}

TEST(HttpResponse, HeadersAreFoundWhateverTheirCase) {
  const HttpResponse response = withHeaders(200, {{"X-Request-Id", "req_1"}, {"Content-Type", "application/json"}});
  EXPECT_EQ(response.header("content-type"), "application/json");
  EXPECT_EQ(response.requestId(), "req_1");
  EXPECT_EQ(withHeaders(200, {{"apim-request-id", "abc"}}).requestId(), "abc");
  EXPECT_EQ(withHeaders(200, {}).requestId(), "");
}

TEST(UrlEncode, EncodesEverythingButUnreservedCharacters) {
  EXPECT_EQ(urlEncode("a b&c=d/é~._-"), "a%20b%26c%3Dd%2F%C3%A9~._-");
}

}  // namespace
}  // namespace ajuste
