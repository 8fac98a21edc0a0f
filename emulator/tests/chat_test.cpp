// Chat completions: deterministic answers, the trained format, usage, model checks.
#include <algorithm>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "chat_model.hpp"
#include "support.hpp"

namespace ajuste::emulator::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using nlohmann::json;

std::vector<std::pair<std::string, int>> labelledReviews() {
  const std::vector<std::pair<std::string, int>> templates = {
      {"Absolutely love this {p}! The battery is excellent.", 5}, {"Best {p} I have ever owned. Worth every penny.", 5},
      {"Really good {p} overall. Only gripe: the lid feels a bit cheap.", 4}, {"Solid {p} for the price.", 4},
      {"It's okay. Not bad, not great.", 3}, {"Mixed feelings about this {p}. It works, but I expected more.", 3},
      {"Disappointed with this {p}. The strap stopped working after 3 weeks.", 2}, {"Not great. I'm considering a return.", 2},
      {"Terrible {p}. It arrived damaged.", 1}, {"Complete waste of money. Returned it the same week.", 1}};
  const std::vector<std::string> products = {"kettle", "blender", "backpack", "lamp", "keyboard", "bottle", "chair", "mat"};
  std::vector<std::pair<std::string, int>> out;
  for (const auto& product : products) {
    for (const auto& [text, rating] : templates) {
      std::string review = text;
      if (const auto at = review.find("{p}"); at != std::string::npos) review.replace(at, 3, product);
      out.emplace_back(review, rating);
    }
  }
  return out;
}

double agreement(const std::string& model, bool fine_tuned) {
  std::size_t right = 0;
  const auto reviews = labelledReviews();
  for (const auto& [review, rating] : reviews) {
    const json messages = {{{"role", "system"}, {"content", "You are a product review classifier."}},
                           {{"role", "user"}, {"content", review}}};
    const ChatAnswer answer = answerChat(messages, model, fine_tuned, std::nullopt);
    const auto digit = answer.content.find_first_of("12345");
    if (digit != std::string::npos && answer.content[digit] == static_cast<char>('0' + rating)) ++right;
  }
  return static_cast<double>(right) / static_cast<double>(reviews.size());
}

TEST(Chat, ReferenceRatingFollowsTheWords) {
  for (const auto& [review, rating] : labelledReviews()) EXPECT_EQ(referenceRating(review), rating) << review;
}

TEST(Chat, FineTunedModelsAnswerInTheTrainedFormatAndMoreAccurately) {
  const double tuned = agreement("ft:gpt-4o-mini-2024-07-18:ajuste-emulator::abc", true);
  const double base = agreement("gpt-4o-mini-2024-07-18", false);
  EXPECT_GT(tuned, 0.75);
  EXPECT_LT(base, 0.65);
  EXPECT_GT(tuned, base + 0.2);
  const json messages = {{{"role", "user"}, {"content", "Review: Terrible kettle."}}};
  EXPECT_THAT(answerChat(messages, "ft:x", true, std::nullopt).content, MatchesRegex("Rating: [1-5] stars?"));
  EXPECT_THAT(answerChat(messages, "gpt-4o", false, std::nullopt).content,
              MatchesRegex("I would rate this review [1-5] out of 5 stars."));
  const json portuguese = {{{"role", "user"}, {"content", "Avalie: Péssimo produto. Não comprem, é muito ruim."}}};
  EXPECT_THAT(answerChat(portuguese, "ft:x", true, std::nullopt).content, MatchesRegex("Avaliação: [1-5] estrelas?"));
}

TEST(Chat, CompletionsAreDeterministicWithConsistentUsage) {
  Emulator emulator(testOptions());
  Api api(emulator);
  const json request = {{"model", "gpt-4o-mini"}, {"messages", {{{"role", "user"}, {"content", "Tell me a story"}}}}};
  const Response first = api.post("/chat/completions", request);
  ASSERT_EQ(first.status, 200) << first.text;
  const Response second = api.post("/chat/completions", request);
  EXPECT_EQ(first.body["choices"], second.body["choices"]);
  EXPECT_NE(first.body["id"], second.body["id"]);
  EXPECT_EQ(first.body["model"], "gpt-4o-mini-2024-07-18");
  const std::string content = first.body["choices"][0]["message"]["content"];
  EXPECT_THAT(content, HasSubstr("Simulated reply from ajuste-emulator"));
  const json& usage = first.body["usage"];
  EXPECT_EQ(usage["completion_tokens"], (content.size() + 3) / 4);
  EXPECT_EQ(usage["total_tokens"], usage["prompt_tokens"].get<int>() + usage["completion_tokens"].get<int>());
  EXPECT_FALSE(first.header("x-ratelimit-limit-tokens").empty());

  json limited = request;
  limited["max_tokens"] = 3;
  const Response short_answer = api.post("/chat/completions", limited);
  EXPECT_EQ(short_answer.body["choices"][0]["finish_reason"], "length");
  EXPECT_EQ(short_answer.body["usage"]["completion_tokens"], 3);
  EXPECT_EQ(emulator.world().counters()["chat_completions"], 3);
}

TEST(Chat, EachDistinctRequestIsCountedWithHowOftenItWasAnswered) {
  Emulator emulator(testOptions());
  Api api(emulator);
  const json a = {{"model", "gpt-4o-mini"}, {"messages", {{{"role", "user"}, {"content", "Review: great kettle"}}}}};
  json b = a;
  b["temperature"] = 0;
  ASSERT_EQ(api.post("/chat/completions", a).status, 200);
  ASSERT_EQ(api.post("/chat/completions", b).status, 200);
  ASSERT_EQ(api.post("/chat/completions", a).status, 200);
  ASSERT_EQ(api.post("/chat/completions", {{"model", "ft:gpt-4o-mini:nobody::x"}, {"messages", a["messages"]}}).status, 404);

  httplib::Client control(emulator.baseUrl());
  const auto listed = control.Get("/_emulator/chat-requests");
  ASSERT_TRUE(listed);
  const json requests = json::parse(listed->body);
  EXPECT_EQ(requests["distinct"], 2);  // a refused request is not an answered one
  EXPECT_EQ(requests["served"], 3);
  std::vector<std::int64_t> times;
  for (const auto& [fingerprint, count] : requests["requests"].items()) times.push_back(count.get<std::int64_t>());
  std::sort(times.begin(), times.end());
  EXPECT_EQ(times, (std::vector<std::int64_t>{1, 2}));

  emulator.world().reset();
  EXPECT_EQ(emulator.world().chatRequests()["distinct"], 0);
}

TEST(Chat, UnknownModelsAndBadRequestsAreRefused) {
  Emulator emulator(testOptions());
  Api api(emulator);
  const Response unknown =
      api.post("/chat/completions", {{"model", "ft:gpt-4o-mini:nobody::x"}, {"messages", {{{"role", "user"}, {"content", "hi"}}}}});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body["error"]["code"], "model_not_found");
  EXPECT_EQ(api.post("/chat/completions", {{"model", "gpt-4o"}}).body["error"]["param"], "messages");
  EXPECT_EQ(api.post("/chat/completions", {{"model", "gpt-4o"}, {"stream", true}, {"messages", {{{"role", "user"}, {"content", "hi"}}}}})
                .status,
            400);
  EXPECT_EQ(api.get("/models/gpt-nope").status, 404);
}

}  // namespace
}  // namespace ajuste::emulator::testing
