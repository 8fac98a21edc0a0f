#include "rate_limit.hpp"

#include <gtest/gtest.h>

namespace ajuste::evaluate_chat {
namespace {

using std::chrono::milliseconds;

TEST(ParseResetDuration, ReadsTheHeaderFormats) {
  EXPECT_EQ(parseResetDuration("20ms"), milliseconds(20));
  EXPECT_EQ(parseResetDuration("1s"), milliseconds(1000));
  EXPECT_EQ(parseResetDuration("6m0s"), milliseconds(360'000));
  EXPECT_EQ(parseResetDuration("1m30.5s"), milliseconds(90'500));
  EXPECT_EQ(parseResetDuration("1h"), milliseconds(3'600'000));
  EXPECT_EQ(parseResetDuration(""), std::nullopt);
  EXPECT_EQ(parseResetDuration("soon"), std::nullopt);
  EXPECT_EQ(parseResetDuration("5x"), std::nullopt);
}

HttpResponse withHeaders(std::vector<HttpHeader> headers) {
  HttpResponse response;
  response.status = 200;
  response.headers = std::move(headers);
  return response;
}

TEST(PauseAfter, HoldsBackOnlyWhenFewRequestsRemain) {
  EXPECT_EQ(pauseAfter(withHeaders({{"x-ratelimit-remaining-requests", "100"}, {"x-ratelimit-reset-requests", "2s"}}), 8),
            milliseconds(0));
  EXPECT_EQ(pauseAfter(withHeaders({{"X-RateLimit-Remaining-Requests", "3"}, {"x-ratelimit-reset-requests", "2s"}}), 8),
            milliseconds(2000));
  EXPECT_EQ(pauseAfter(withHeaders({{"x-ratelimit-remaining-requests", "0"}}), 8), milliseconds(1000));
  EXPECT_EQ(pauseAfter(withHeaders({{"x-ratelimit-remaining-requests", "0"}, {"x-ratelimit-reset-requests", "9m"}}), 8),
            milliseconds(60'000));
  EXPECT_EQ(pauseAfter(withHeaders({}), 8), milliseconds(0));
}

}  // namespace
}  // namespace ajuste::evaluate_chat
