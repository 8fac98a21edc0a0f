#include "pii_stage.hpp"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ajuste/testing/stage_harness.hpp"

#include "pii_detect.hpp"

namespace ajuste::clean_text {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::StageHarness;

// The kinds found in `text`, in order: "email phone".
std::string kindsIn(const std::string& text) {
  const auto detector = PiiDetector::make();
  bool limit_hit = false;
  std::string kinds;
  for (const PiiSpan& span : detector.value()->find(text, limit_hit)) {
    if (!kinds.empty()) kinds += ' ';
    kinds += toString(span.kind);
  }
  EXPECT_FALSE(limit_hit);
  return kinds;
}

TEST(Luhn, ValidAndInvalid) {
  EXPECT_TRUE(luhnValid("4111111111111111"));
  EXPECT_FALSE(luhnValid("4111111111111112"));
  EXPECT_TRUE(luhnValid("378282246310005"));
  EXPECT_FALSE(luhnValid(""));
}

TEST(PiiDetector, FindsEachKind) {
  EXPECT_EQ(kindsIn("write to jane.doe+shop@example.co.uk today"), "email");
  EXPECT_EQ(kindsIn("card 4111 1111 1111 1111 exp 12/27"), "card");
  EXPECT_EQ(kindsIn("card 5555-5555-5555-4444"), "card");
  EXPECT_EQ(kindsIn("server at 192.168.1.20, port 80"), "ipv4");
  EXPECT_EQ(kindsIn("v6 2001:db8:85a3::8a2e:370:7334 and ::1"), "ipv6 ipv6");
  EXPECT_EQ(kindsIn("call +44 20 7946 0958 or (555) 123-4567"), "phone phone");
  EXPECT_EQ(kindsIn("ligue (11) 98765-4321"), "phone");
  EXPECT_EQ(kindsIn("key sk-proj-abcdefghijklmnopqrstuvwx1234 ok"), "secret");
  EXPECT_EQ(kindsIn("AKIAIOSFODNN7EXAMPLE"), "secret");
  EXPECT_EQ(kindsIn("token ghp_abcdefghijklmnopqrstuvwxyz0123456789"), "secret");
  EXPECT_EQ(kindsIn("Authorization: Bearer abcdef0123456789xyz"), "secret");
}

TEST(PiiDetector, LeavesLookalikesAlone) {
  EXPECT_EQ(kindsIn("Rating: 5 stars, 4.5/5, 10 out of 10"), "");
  EXPECT_EQ(kindsIn("bought on 2024-01-15, delivered 15/01/2024 at 12:30:45"), "");
  EXPECT_EQ(kindsIn("from 1999 to 2023, 3 days"), "");
  EXPECT_EQ(kindsIn("version 1.2.3 and build 10.0.19041"), "");
  EXPECT_EQ(kindsIn("ISBN 978-3-16-148410-0 and ISBN 0-306-40615-2"), "");
  EXPECT_EQ(kindsIn("ISBN 9783161484100"), "");
  EXPECT_EQ(kindsIn("bad Luhn 4111 1111 1111 1112"), "");
  EXPECT_EQ(kindsIn("not an address 999.1.1.1"), "");
  EXPECT_EQ(kindsIn("std::vector and a::b, price $1,234,567"), "");
  EXPECT_EQ(kindsIn("order 123456789012"), "");
  EXPECT_EQ(kindsIn("user@localhost is not routable"), "");
}

TEST(PiiStage, RedactsByDefaultAndCountsByKind) {
  StageHarness h{PiiStage::info(), "{}"};
  const auto out = h.run(
      R"({"messages":[{"role":"user","content":"mail me: a.b@example.com or +1 415 555 0100"},{"role":"assistant","content":"ok"}]})"
      "\n");
  ASSERT_EQ(out.kept.size(), 1u);
  EXPECT_EQ(out.kept[0].value["messages"][0]["content"], "mail me: [EMAIL] or [PHONE]");
  EXPECT_EQ(h.context().counter("email_found"), 1);
  EXPECT_EQ(h.context().counter("phone_redacted"), 1);
}

TEST(PiiStage, RejectReasonNamesKindAndPathButNeverTheValue) {
  StageHarness h{PiiStage::info(), "{}"};
  const auto out = h.run(
      R"({"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"use 4111-1111-1111-1111 and sk-abcdefghijklmnopqrstuvwxyz"}]})"
      "\n");
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].kind, "pii_card");  // the first finding in the text
  EXPECT_EQ(out.rejects[0].reason,
            "contains personal data or secrets set to reject: card at messages[1].content, secret at messages[1].content");
  // The rejected record is redacted too, so rejects.jsonl does not carry the values.
  EXPECT_EQ(out.rejects[0].value["messages"][1]["content"], "use [CARD] and [SECRET]");
}

TEST(PiiStage, ActionsAndPlaceholdersAreConfigurable) {
  StageHarness h{PiiStage::info(),
                 R"({"email": "allow", "card": "redact", "phone": "reject", "placeholders": {"card": "<card>"}})"};
  const auto out = h.run(
      R"({"prompt":"a@example.com 4111111111111111","completion":"x"})" "\n"
      R"({"input":{"messages":[{"role":"user","content":"ring 020 7946 0958"}]},"preferred_output":[{"role":"assistant","content":"a"}],"non_preferred_output":[{"role":"assistant","content":"b"}]})"
      "\n");
  ASSERT_EQ(out.kept.size(), 1u);
  EXPECT_EQ(out.kept[0].value["prompt"], "a@example.com <card>");
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].reason, "contains personal data or secrets set to reject: phone at input.messages[0].content");
  EXPECT_THAT(out.rejects[0].reason, Not(HasSubstr("7946")));
}

TEST(PiiStage, ReportsThePolicy) {
  StageHarness h{PiiStage::info(), "{}"};
  (void)h.run(R"({"messages":[{"role":"user","content":"hi"}]})" "\n");
  EXPECT_EQ(h.context().reports()["pii"]["actions"]["card"], "reject");
}

}  // namespace
}  // namespace ajuste::clean_text
