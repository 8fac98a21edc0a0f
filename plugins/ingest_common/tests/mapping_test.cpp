#include "ingest_common/mapping.hpp"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ajuste/json_schema.hpp"

namespace ajuste::ingest {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

Mapping mappingFrom(const json& options) {
  auto mapping = Mapping::fromOptions(options);
  if (!mapping.ok()) throw std::invalid_argument(mapping.error().toString());
  return std::move(mapping).value();
}

Status refusal(const json& options) {
  auto mapping = Mapping::fromOptions(options);
  EXPECT_FALSE(mapping.ok()) << "accepted: " << options.dump();
  return mapping.ok() ? Status::ok() : mapping.error();
}

json mapped(const Mapping& mapping, json record) {
  const auto failure = mapping.apply(record);
  EXPECT_FALSE(failure) << failure->reason;
  return record;
}

MappingFailure failure(const Mapping& mapping, json record) {
  const json before = record;
  auto result = mapping.apply(record);
  EXPECT_TRUE(result) << "mapped: " << record.dump();
  EXPECT_EQ(record, before) << "a failed mapping must leave the record as it was";
  return result.value_or(MappingFailure{});
}

json chat(std::initializer_list<std::pair<const char*, const char*>> messages) {
  json out = json::array();
  for (const auto& [role, content] : messages) out.push_back({{"role", role}, {"content", content}});
  return {{"messages", out}};
}

TEST(Mapping, TheSchemaIsValidAndFillsDefaults) {
  auto schema = JsonSchema::fromJson(Mapping::schema());
  ASSERT_TRUE(schema.ok()) << schema.error().toString();
  EXPECT_EQ(schema->withDefaults(json::object()), json({{"preset", "template"}, {"output", "chat"}}));
  EXPECT_FALSE(schema->validate({{"preset", "csv"}}).empty());
  EXPECT_FALSE(schema->validate({{"usr", "x"}}).empty());
}

TEST(Mapping, TemplatePresetMakesChatMessages) {
  const Mapping mapping = mappingFrom({{"preset", "template"},
                                       {"system", "You rate reviews."},
                                       {"user", "Review: {review}"},
                                       {"assistant", "Rating: {stars} {stars|star|stars}"}});
  EXPECT_EQ(mapped(mapping, {{"review", "Broke in a week"}, {"stars", "1"}, {"lang", "en"}}),
            chat({{"system", "You rate reviews."}, {"user", "Review: Broke in a week"}, {"assistant", "Rating: 1 star"}}));
  EXPECT_EQ(mapped(mapping, {{"review", "Ótimo"}, {"stars", "5"}}),
            chat({{"system", "You rate reviews."}, {"user", "Review: Ótimo"}, {"assistant", "Rating: 5 stars"}}));
}

TEST(Mapping, TheSystemMessageMayUseFieldsToo) {
  const Mapping mapping = mappingFrom({{"system", "Answer in {lang}."}, {"user", "{q}"}, {"assistant", "{a}"}});
  EXPECT_EQ(mapped(mapping, {{"lang", "pt"}, {"q", "Oi"}, {"a", "Olá"}}),
            chat({{"system", "Answer in pt."}, {"user", "Oi"}, {"assistant", "Olá"}}));
}

TEST(Mapping, PromptCompletionPreset) {
  const Mapping mapping = mappingFrom({{"preset", "prompt_completion"}, {"system", "Be brief."}});
  EXPECT_EQ(mapped(mapping, {{"prompt", "2+2?"}, {"completion", "4"}}),
            chat({{"system", "Be brief."}, {"user", "2+2?"}, {"assistant", "4"}}));
  const auto missing = failure(mapping, {{"prompt", "2+2?"}, {"answer", "4"}});
  EXPECT_EQ(missing.kind, "missing_field");
  EXPECT_EQ(missing.pointer, "/mapping/preset");
  EXPECT_EQ(missing.reason, "preset prompt_completion: field 'completion' is missing; the record has 'answer', 'prompt'");
}

TEST(Mapping, AlpacaPresetJoinsInstructionAndInput) {
  const Mapping mapping = mappingFrom({{"preset", "alpaca"}});
  EXPECT_EQ(mapped(mapping, {{"instruction", "Translate to Portuguese."}, {"input", "Good morning"}, {"output", "Bom dia"}}),
            chat({{"user", "Translate to Portuguese.\n\nGood morning"}, {"assistant", "Bom dia"}}));
  EXPECT_EQ(mapped(mapping, {{"instruction", "Name a colour."}, {"input", ""}, {"output", "Blue"}}),
            chat({{"user", "Name a colour."}, {"assistant", "Blue"}}));
  EXPECT_EQ(mapped(mapping, {{"instruction", "Name a colour."}, {"output", "Blue"}}),
            chat({{"user", "Name a colour."}, {"assistant", "Blue"}}));
  EXPECT_EQ(mapped(mapping, {{"instruction", "Name a colour."}, {"input", nullptr}, {"output", "Blue"}}),
            chat({{"user", "Name a colour."}, {"assistant", "Blue"}}));
  EXPECT_EQ(failure(mapping, {{"instruction", "x"}, {"input", {1, 2}}, {"output", "y"}}).kind, "field_not_text");
  EXPECT_EQ(failure(mapping, {{"instruction", "x"}, {"response", "y"}}).reason,
            "preset alpaca: field 'output' is missing; the record has 'instruction', 'response'");
}

TEST(Mapping, ShareGptPresetMapsRolesAndAddsTheSystemMessageWhenTheConversationHasNone) {
  const Mapping mapping = mappingFrom({{"preset", "sharegpt"}, {"system", "Be kind."}});
  const json conversation = {{"conversations",
                              {{{"from", "human"}, {"value", "Hi"}},
                               {{"from", "gpt"}, {"value", "Hello!"}},
                               {{"from", "human"}, {"value", "Bye"}},
                               {{"from", "gpt"}, {"value", "Bye!"}}}}};
  EXPECT_EQ(mapped(mapping, conversation), chat({{"system", "Be kind."},
                                                 {"user", "Hi"},
                                                 {"assistant", "Hello!"},
                                                 {"user", "Bye"},
                                                 {"assistant", "Bye!"}}));
  const json own_system = {{"conversations", {{{"from", "system"}, {"value", "Own."}},
                                              {{"from", "human"}, {"value", "Hi"}},
                                              {{"from", "gpt"}, {"value", "Hello"}}}}};
  EXPECT_EQ(mapped(mapping, own_system), chat({{"system", "Own."}, {"user", "Hi"}, {"assistant", "Hello"}}));
}

TEST(Mapping, ShareGptProblemsAreRejectsThatSayWhere) {
  const Mapping mapping = mappingFrom({{"preset", "sharegpt"}});
  auto problem = failure(mapping, {{"conversations", {{{"from", "human"}, {"value", "Hi"}}, {{"from", "bot"}, {"value", "x"}}}}});
  EXPECT_EQ(problem.kind, "unknown_role");
  EXPECT_EQ(problem.reason, "preset sharegpt: conversations[1].from is \"bot\"; ShareGPT roles are human, gpt and system");
  problem = failure(mapping, {{"conversations", "not a list"}});
  EXPECT_EQ(problem.kind, "invalid_conversation");
  EXPECT_THAT(problem.reason, HasSubstr("field 'conversations' is a string, expected an array of turns"));
  EXPECT_EQ(failure(mapping, {{"conversations", json::array()}}).reason, "preset sharegpt: field 'conversations' is empty");
  EXPECT_THAT(failure(mapping, {{"conversations", {{{"value", "x"}}}}}).reason, HasSubstr("conversations[0] has no 'from'"));
  EXPECT_THAT(failure(mapping, {{"conversations", {{{"from", "gpt"}}}}}).reason, HasSubstr("conversations[0] has no 'value'"));
  EXPECT_THAT(failure(mapping, {{"conversations", {42}}}).reason, HasSubstr("conversations[0] is a number"));
  EXPECT_EQ(failure(mapping, {{"conversations", {{{"from", "gpt"}, {"value", {1}}}}}}).kind, "field_not_text");
  problem = failure(mapping, {{"convos", json::array()}});
  EXPECT_EQ(problem.kind, "missing_field");
  EXPECT_THAT(problem.reason, HasSubstr("field 'conversations' is missing; the record has 'convos'"));
}

TEST(Mapping, LegacyOutputKeepsPromptAndCompletion) {
  const Mapping templated = mappingFrom({{"user", "Review: {review}"}, {"assistant", "{stars}"}, {"output", "prompt_completion"}});
  EXPECT_EQ(mapped(templated, {{"review", "ok"}, {"stars", 3}}), json({{"prompt", "Review: ok"}, {"completion", "3"}}));
  const Mapping sharegpt = mappingFrom({{"preset", "sharegpt"}, {"output", "prompt_completion"}});
  EXPECT_EQ(mapped(sharegpt, {{"conversations", {{{"from", "human"}, {"value", "Q"}}, {{"from", "gpt"}, {"value", "A"}}}}}),
            json({{"prompt", "Q"}, {"completion", "A"}}));
  const auto multi = failure(sharegpt, {{"conversations", {{{"from", "human"}, {"value", "Q"}},
                                                           {{"from", "gpt"}, {"value", "A"}},
                                                           {{"from", "human"}, {"value", "Q2"}}}}});
  EXPECT_EQ(multi.kind, "not_single_turn");
  EXPECT_THAT(multi.reason, HasSubstr("this record has 3 (user, assistant, user)"));
}

TEST(Mapping, OptionErrorsPointAtTheOption) {
  auto error = refusal({{"preset", "template"}, {"user", "{review}"}});
  EXPECT_EQ(error.code(), StatusCode::kConfigError);
  EXPECT_EQ(error.pointer(), "/mapping");
  EXPECT_THAT(error.message(), HasSubstr("the template preset needs a 'assistant' template"));

  error = refusal({{"user", "Review: {review"}, {"assistant", "{stars}"}});
  EXPECT_EQ(error.pointer(), "/mapping/user");
  EXPECT_THAT(error.message(), HasSubstr("template error at column 9: '{' at column 9 is never closed"));
  EXPECT_THAT(error.message(), HasSubstr("\n    Review: {review\n            ^"));

  error = refusal({{"user", "{a}"}, {"assistant", "Rating: {stars|star}"}});
  EXPECT_EQ(error.pointer(), "/mapping/assistant");
  EXPECT_THAT(error.message(), HasSubstr("template error at column 16"));

  error = refusal({{"preset", "alpaca"}, {"user", "{x}"}});
  EXPECT_EQ(error.pointer(), "/mapping/user");
  EXPECT_THAT(error.message(), HasSubstr("preset alpaca reads its messages from the fields instruction, input and output"));

  error = refusal({{"preset", "prompt_completion"}, {"system", "S"}, {"output", "prompt_completion"}});
  EXPECT_EQ(error.pointer(), "/mapping/system");
  EXPECT_THAT(error.message(), HasSubstr("no place for a system message"));

  error = refusal({{"preset", "sharegpt"}, {"system", "bad {"}});
  EXPECT_EQ(error.pointer(), "/mapping/system");
}

TEST(Mapping, RequiredFieldsSayWhichOptionNeedsThem) {
  const Mapping templated = mappingFrom({{"system", "{lang}"}, {"user", "{review} {lang}"}, {"assistant", "{stars|a|b}"}});
  const auto uses = templated.requiredFields();
  ASSERT_EQ(uses.size(), 4u);
  EXPECT_EQ(uses[0].field, "lang");
  EXPECT_EQ(uses[0].pointer, "/mapping/system");
  EXPECT_EQ(uses[1].field, "review");
  EXPECT_EQ(uses[1].label, "mapping.user");
  EXPECT_EQ(uses[3].field, "stars");
  EXPECT_EQ(uses[3].pointer, "/mapping/assistant");
  const auto alpaca = mappingFrom({{"preset", "alpaca"}}).requiredFields();
  ASSERT_EQ(alpaca.size(), 2u);
  EXPECT_EQ(alpaca[0].field, "instruction");
  EXPECT_EQ(alpaca[1].field, "output");
  EXPECT_EQ(alpaca[1].label, "preset alpaca");
  const auto sharegpt = mappingFrom({{"preset", "sharegpt"}}).requiredFields();
  ASSERT_EQ(sharegpt.size(), 1u);
  EXPECT_EQ(sharegpt[0].field, "conversations");
}

TEST(Mapping, ApplyMappingRejectsRecordsThatDoNotFitAndKeepsTheRest) {
  const std::optional<Mapping> mapping = mappingFrom({{"user", "{q}"}, {"assistant", "{n} {n|point|points}"}});
  Batch batch(8);
  batch.add(Record{{{"q", "a"}, {"n", 1}}, Provenance{"in.csv", 2, 0, 10}, {}, {}});
  batch.add(Record{{{"q", "b"}, {"n", "many"}}, Provenance{"in.csv", 3, 1, 20}, {}, {}});
  batch.add(Record{{{"x", "c"}}, Provenance{"in.csv", 4, 2, 30}, {}, {}});
  applyMapping(mapping, batch);
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(batch.begin()->value, chat({{"user", "a"}, {"assistant", "1 point"}}));
  ASSERT_EQ(batch.rejects().size(), 2u);
  EXPECT_EQ(batch.rejects()[0].kind, "plural_not_number");
  EXPECT_EQ(batch.rejects()[0].origin.line, 3u);
  EXPECT_EQ(batch.rejects()[0].value, json({{"q", "b"}, {"n", "many"}})) << "the reject shows the record as read";
  EXPECT_EQ(batch.rejects()[1].kind, "missing_field");
  EXPECT_EQ(batch.rejects()[1].reason, "mapping.user: field 'q' is missing; the record has 'x'");

  Batch untouched(2);
  untouched.add(Record{{{"q", "a"}}, {}, {}, {}});
  applyMapping(std::nullopt, untouched);
  EXPECT_EQ(untouched.begin()->value, json({{"q", "a"}}));
}

}  // namespace
}  // namespace ajuste::ingest
