// upload/openai against a scripted provider: request shapes, ledger and adoption rules.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "openai_stages.hpp"
#include "scripted_api.hpp"
#include "hashing/sha256.hpp"
#include "stage_run.hpp"
#include "test_files.hpp"

namespace ajuste::provider::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kBase = "http://fake.test/v1";

class UploadOpenAi : public ::testing::Test {
 protected:
  void SetUp() override {
    train_ = files_.write("train.jsonl", std::string(500, 't') + "\n");
    valid_ = files_.write("valid.jsonl", std::string(100, 'v') + "\n");
    train_name_ = "train-" + hashing::sha256Hex(readFile(train_)).substr(0, 12) + ".jsonl";
    valid_name_ = "valid-" + hashing::sha256Hex(readFile(valid_)).substr(0, 12) + ".jsonl";
  }
  std::map<std::string, json> artifacts() const {
    return {{"train_file", {{"path", train_.string()}}}, {"valid_file", valid_.string()}};
  }
  // A file list (empty unless given) and processed files.
  void serveFiles(json listed = json::array()) {
    api_.on("GET", "/v1/files", [listed](const HttpRequest&, const std::smatch&) -> Result<HttpResponse> {
      return jsonResponse(200, listOf(listed));
    });
    api_.on("GET", "/v1/files/([^/]+)", [](const HttpRequest&, const std::smatch& m) -> Result<HttpResponse> {
      return jsonResponse(200, {{"id", m[1].str()}, {"object", "file"}, {"status", "processed"}});
    });
  }
  std::vector<HttpRequest> posts(const ajuste::testing::ScriptedHttpClient& http, const std::string& path) const {
    std::vector<HttpRequest> out;
    for (const auto& request : http.requests()) {
      if (request.method == "POST" && pathOf(request.url) == path) out.push_back(request);
    }
    return out;
  }

  TempFiles files_;
  std::filesystem::path train_;
  std::filesystem::path valid_;
  std::string train_name_;
  std::string valid_name_;
  ScriptedApi api_;
};

TEST_F(UploadOpenAi, SmallFilesGoThroughTheFilesApiWithPurposeHashedNameAndBearerKey) {
  serveFiles();
  int created = 0;
  api_.on("POST", "/v1/files", [&](const HttpRequest&, const std::smatch&) -> Result<HttpResponse> {
    return jsonResponse(200, {{"id", "file-" + std::to_string(++created)}, {"status", "uploaded"}});
  });
  auto http = api_.client();
  const auto run = runStage(openai::uploadInfo(), {{"base_url", kBase}}, http, artifacts());
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();

  const auto sent = posts(http, "/v1/files");
  ASSERT_EQ(sent.size(), 2u);
  const HttpRequest& post = sent[0];
  EXPECT_EQ(post.url, "http://fake.test/v1/files");
  EXPECT_EQ(post.idempotency, Idempotency::kNotIdempotent);
  ASSERT_EQ(post.multipart.size(), 2u);
  EXPECT_EQ(post.multipart[0].name, "purpose");
  EXPECT_EQ(post.multipart[0].value, "fine-tune");
  EXPECT_EQ(post.multipart[1].name, "file");
  EXPECT_EQ(post.multipart[1].file, train_) << "streamed from disk, not copied into memory";
  EXPECT_EQ(post.multipart[1].filename, train_name_);
  EXPECT_EQ(sent[1].multipart[1].filename, valid_name_);
  for (const auto& request : http.requests()) {
    ASSERT_FALSE(request.headers.empty());
    EXPECT_EQ(request.headers[0].name, "Authorization");
    EXPECT_EQ(request.headers[0].value, std::string("Bearer ") + kTestSecret);
  }

  const auto& published = run.ctx->artifacts();
  EXPECT_EQ(published.at("training_file_id"), "file-1");
  EXPECT_EQ(published.at("validation_file_id"), "file-2");
  EXPECT_EQ(published.at("provider"), (json{{"provider", "openai"},
                                            {"base_url", kBase},
                                            {"api_version", nullptr},
                                            {"auth", "bearer"},
                                            {"credential_env", "OPENAI_API_KEY"}}));
  EXPECT_THAT(run.everything(), Not(HasSubstr(kTestSecret)));
  EXPECT_EQ(run.ctx->counter("files_uploaded"), 2);
}

TEST_F(UploadOpenAi, WithoutValidationFilePublishesNull) {
  serveFiles();
  api_.reply("POST", "/v1/files", 200, {{"id", "file-1"}, {"status", "processed"}});
  auto http = api_.client();
  const auto run = runStage(openai::uploadInfo(), {{"base_url", kBase}}, http, {{"train_file", train_.string()}});
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();
  EXPECT_EQ(run.ctx->artifacts().at("validation_file_id"), nullptr);
}

TEST_F(UploadOpenAi, LargeFilesGoThroughTheUploadsApiInOrderedParts) {
  serveFiles();
  int parts = 0;
  api_.reply("POST", "/v1/uploads", 200, {{"id", "upload_1"}, {"status", "pending"}});
  api_.on("POST", "/v1/uploads/upload_1/parts", [&](const HttpRequest&, const std::smatch&) -> Result<HttpResponse> {
    return jsonResponse(200, {{"id", "part_" + std::to_string(++parts)}, {"object", "upload.part"}});
  });
  api_.on("POST", "/v1/uploads/upload_1/complete",
          [](const HttpRequest& request, const std::smatch&) -> Result<HttpResponse> {
            return jsonResponse(
                200, {{"id", "upload_1"},
                      {"status", "completed"},
                      {"file", {{"id", "file-big"}, {"bytes", json::parse(request.body)["part_ids"].size()}}}});
          });
  api_.reply("POST", "/v1/files", 200, {{"id", "file-small"}});
  auto http = api_.client();
  // 200 bytes = 0.000190735 MiB: train (501 bytes) goes in parts of 200, valid (101) in one POST /files.
  const auto run =
      runStage(openai::uploadInfo(),
               {{"base_url", kBase}, {"multipart_threshold_mb", 0.0001}, {"part_size_mb", 200.0 / 1048576.0}}, http,
               artifacts());
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();

  const auto start = posts(http, "/v1/uploads");
  ASSERT_EQ(start.size(), 1u);
  EXPECT_EQ(json::parse(start[0].body),
            (json{{"filename", train_name_}, {"purpose", "fine-tune"}, {"bytes", 501}, {"mime_type", "text/jsonl"}}));
  const auto sent_parts = posts(http, "/v1/uploads/upload_1/parts");
  ASSERT_EQ(sent_parts.size(), 3u);
  std::uint64_t expected_offset = 0;
  for (const auto& part : sent_parts) {
    ASSERT_EQ(part.multipart.size(), 1u);
    EXPECT_EQ(part.multipart[0].name, "data");
    EXPECT_EQ(part.multipart[0].file, train_);
    EXPECT_EQ(part.multipart[0].offset, expected_offset);
    expected_offset += *part.multipart[0].length;
  }
  EXPECT_EQ(expected_offset, 501u);
  const auto complete = posts(http, "/v1/uploads/upload_1/complete");
  ASSERT_EQ(complete.size(), 1u);
  EXPECT_EQ(json::parse(complete[0].body), (json{{"part_ids", {"part_1", "part_2", "part_3"}}}));
  EXPECT_EQ(complete[0].idempotency, Idempotency::kNotIdempotent);
  EXPECT_EQ(run.ctx->artifacts().at("training_file_id"), "file-big");
  EXPECT_EQ(run.ctx->artifacts().at("validation_file_id"), "file-small");
  EXPECT_EQ(posts(http, "/v1/files").size(), 1u);
}

TEST_F(UploadOpenAi, ResumesAMultipartUploadAtTheNextPartFromTheLedger) {
  serveFiles();
  api_.on("POST", "/v1/uploads/upload_7/parts", [](const HttpRequest&, const std::smatch&) -> Result<HttpResponse> {
    return jsonResponse(200, {{"id", "part_c"}});
  });
  api_.reply("POST", "/v1/uploads/upload_7/complete", 200, {{"id", "upload_7"}, {"file", {{"id", "file-resumed"}}}});
  auto http = api_.client();
  const std::string sha = hashing::sha256Hex(readFile(train_));
  const json state = {{"files",
                       {{"openai " + std::string(kBase) + " " + sha,
                         {{"name", train_name_},
                          {"bytes", 501},
                          {"pending",
                           {{"via", "uploads"},
                            {"upload_id", "upload_7"},
                            {"part_size", 200},
                            {"part_ids", {"part_a", "part_b"}}}}}}}}};
  const auto run =
      runStage(openai::uploadInfo(),
               {{"base_url", kBase}, {"multipart_threshold_mb", 0.0001}, {"part_size_mb", 200.0 / 1048576.0}}, http,
               {{"train_file", train_.string()}}, state);
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();
  EXPECT_TRUE(posts(http, "/v1/uploads").empty()) << "no new Upload";
  const auto parts = posts(http, "/v1/uploads/upload_7/parts");
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].multipart[0].offset, 400u);
  EXPECT_EQ(json::parse(posts(http, "/v1/uploads/upload_7/complete")[0].body)["part_ids"],
            json::array({"part_a", "part_b", "part_c"}));
  EXPECT_EQ(run.ctx->artifacts().at("training_file_id"), "file-resumed");
  EXPECT_FALSE(run.ctx->loadState()->at("files").begin()->contains("pending"));
}

TEST_F(UploadOpenAi, StartsAgainWhenTheRecordedUploadExpired) {
  serveFiles();
  api_.on("POST", "/v1/uploads/upload_old/parts", [](const HttpRequest&, const std::smatch&) -> Result<HttpResponse> {
    return openAiError(400, "Upload upload_old is expired and no longer accepts parts.", "", "upload_id");
  });
  api_.reply("POST", "/v1/uploads", 200, {{"id", "upload_new"}});
  api_.reply("POST", "/v1/uploads/upload_new/parts", 200, {{"id", "part_n"}});
  api_.reply("POST", "/v1/uploads/upload_new/complete", 200, {{"file", {{"id", "file-new"}}}});
  auto http = api_.client();
  const std::string sha = hashing::sha256Hex(readFile(train_));
  const json state = {
      {"files",
       {{"openai " + std::string(kBase) + " " + sha,
         {{"pending",
           {{"via", "uploads"}, {"upload_id", "upload_old"}, {"part_size", 1048576}, {"part_ids", json::array()}}}}}}}};
  const auto run =
      runStage(openai::uploadInfo(), {{"base_url", kBase}, {"multipart_threshold_mb", 0.0001}, {"part_size_mb", 1}},
               http, {{"train_file", train_.string()}}, state);
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();
  EXPECT_TRUE(run.logged("expired"));
  EXPECT_EQ(posts(http, "/v1/uploads").size(), 1u);
  EXPECT_EQ(run.ctx->artifacts().at("training_file_id"), "file-new");
}

TEST_F(UploadOpenAi, AdoptsTheRecordedFileWithoutUploading) {
  serveFiles();
  auto http = api_.client();
  const std::string sha = hashing::sha256Hex(readFile(train_));
  const json state = {{"files", {{"openai " + std::string(kBase) + " " + sha, {{"file_id", "file-recorded"}}}}}};
  const auto run =
      runStage(openai::uploadInfo(), {{"base_url", kBase}}, http, {{"train_file", train_.string()}}, state);
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();
  EXPECT_TRUE(posts(http, "/v1/files").empty());
  EXPECT_EQ(run.ctx->artifacts().at("training_file_id"), "file-recorded");
  EXPECT_EQ(run.ctx->reports()["uploads"]["train"]["how"], "adopted from the run state");
}

TEST_F(UploadOpenAi, AdoptsAFileWithTheSameNameAndSizeOnTheProviderButNotOneInError) {
  serveFiles(json::array({
      {{"id", "file-broken"}, {"filename", train_name_}, {"bytes", 501}, {"status", "error"}},
      {{"id", "file-other"}, {"filename", train_name_}, {"bytes", 7}, {"status", "processed"}},
      {{"id", "file-same"}, {"filename", train_name_}, {"bytes", 501}, {"status", "processed"}},
  }));
  auto http = api_.client();
  const auto run = runStage(openai::uploadInfo(), {{"base_url", kBase}}, http, {{"train_file", train_.string()}});
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();
  EXPECT_TRUE(posts(http, "/v1/files").empty());
  EXPECT_EQ(run.ctx->artifacts().at("training_file_id"), "file-same");
  bool searched = false;
  for (const auto& request : http.requests()) {
    if (request.method == "GET" && pathOf(request.url) == "/v1/files") {
      searched = true;
      EXPECT_EQ(queryParam(request.url, "purpose"), "fine-tune");
    }
  }
  EXPECT_TRUE(searched);
}

TEST_F(UploadOpenAi, LostCreateAnswerSearchesAndAdoptsWhatItMade) {
  bool created = false;
  api_.on("GET", "/v1/files", [&](const HttpRequest&, const std::smatch&) -> Result<HttpResponse> {
    if (!created) return jsonResponse(200, listOf(json::array()));
    return jsonResponse(
        200, listOf({{{"id", "file-made"}, {"filename", train_name_}, {"bytes", 501}, {"status", "uploaded"}}}));
  });
  api_.reply("GET", "/v1/files/file-made", 200, {{"id", "file-made"}, {"status", "processed"}});
  api_.on("POST", "/v1/files", [&](const HttpRequest&, const std::smatch&) -> Result<HttpResponse> {
    created = true;
    return Status::unknownOutcome("POST /v1/files: the connection failed after the request was sent");
  });
  auto http = api_.client();
  const auto run = runStage(openai::uploadInfo(), {{"base_url", kBase}}, http, {{"train_file", train_.string()}});
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();
  EXPECT_EQ(posts(http, "/v1/files").size(), 1u) << "never sent twice";
  EXPECT_EQ(run.ctx->artifacts().at("training_file_id"), "file-made");
}

TEST_F(UploadOpenAi, LostCreateAnswerWithNothingOnTheProviderSendsOnceMore) {
  serveFiles();
  int posts_seen = 0;
  api_.on("POST", "/v1/files", [&](const HttpRequest&, const std::smatch&) -> Result<HttpResponse> {
    if (++posts_seen == 1) return Status::unknownOutcome("POST /v1/files: connection reset");
    return jsonResponse(200, {{"id", "file-second"}});
  });
  auto http = api_.client();
  const auto run = runStage(openai::uploadInfo(), {{"base_url", kBase}}, http, {{"train_file", train_.string()}});
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();
  EXPECT_EQ(posts_seen, 2);
  EXPECT_EQ(run.ctx->artifacts().at("training_file_id"), "file-second");
}

TEST_F(UploadOpenAi, AFileTheProviderRefusesFailsWithItsStatusDetails) {
  api_.reply("GET", "/v1/files", 200, listOf(json::array()));
  api_.reply("POST", "/v1/files", 200, {{"id", "file-bad"}, {"status", "uploaded"}});
  api_.reply("GET", "/v1/files/file-bad", 200,
             {{"id", "file-bad"}, {"status", "error"}, {"status_details", "Invalid file format. Line 3: not JSON"}});
  auto http = api_.client();
  const auto run = runStage(openai::uploadInfo(), {{"base_url", kBase}}, http, {{"train_file", train_.string()}});
  ASSERT_EQ(run.status.code(), StatusCode::kProviderError);
  EXPECT_THAT(run.status.message(), HasSubstr("Invalid file format. Line 3: not JSON"));
}

TEST_F(UploadOpenAi, RefusalsCarryTheProviderMessageCodeAndRequestId) {
  api_.reply("GET", "/v1/files", 200, listOf(json::array()));
  api_.on("POST", "/v1/files", [](const HttpRequest&, const std::smatch&) -> Result<HttpResponse> {
    HttpResponse response = openAiError(413, "File too large.", "file_too_large", "file");
    response.headers.push_back({"x-request-id", "req_42"});
    response.headers.erase(response.headers.begin() + 1);  // the scripted id
    return response;
  });
  auto http = api_.client();
  const auto run = runStage(openai::uploadInfo(), {{"base_url", kBase}}, http, {{"train_file", train_.string()}});
  ASSERT_EQ(run.status.code(), StatusCode::kProviderError);
  EXPECT_THAT(run.status.message(),
              HasSubstr("HTTP 413: File too large. (code file_too_large, param file, x-request-id req_42)"));
}

TEST_F(UploadOpenAi, MissingKeyNamesTheVariable) {
  auto http = api_.client();
  ajuste::testing::RecordingContext ctx("upload/openai");
  ctx.setHttp(&http);
  ctx.setArtifact("train_file", train_.string());
  auto made = openai::uploadInfo().make({{"base_url", kBase}, {"api_key_env", "MY_KEY"}}, ctx);
  ASSERT_TRUE(made.ok());
  const Status status = (*made)->asArtifacts()->run(ctx);
  EXPECT_EQ(status.code(), StatusCode::kConfigError);
  EXPECT_THAT(status.message(), HasSubstr("MY_KEY"));
  EXPECT_TRUE(http.requests().empty());
}

TEST_F(UploadOpenAi, BaseUrlComesFromTheEnvironmentLikeTheSdks) {
  ::setenv("OPENAI_BASE_URL", "http://from-env.test/v1/", 1);
  api_.reply("GET", "/v1/files", 200, listOf(json::array()));
  api_.reply("POST", "/v1/files", 200, {{"id", "file-1"}, {"status", "processed"}});
  api_.reply("GET", "/v1/files/file-1", 200, {{"id", "file-1"}, {"status", "processed"}});
  auto http = api_.client();
  const auto run = runStage(openai::uploadInfo(), json::object(), http, {{"train_file", train_.string()}});
  ::unsetenv("OPENAI_BASE_URL");
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();
  EXPECT_EQ(http.requests().front().url.rfind("http://from-env.test/v1/files", 0), 0u);
  EXPECT_EQ(run.ctx->artifacts().at("provider")["base_url"], "http://from-env.test/v1");
  const auto refused =
      runStage(openai::uploadInfo(), {{"base_url", "ftp://x"}}, http, {{"train_file", train_.string()}});
  EXPECT_EQ(refused.status.code(), StatusCode::kConfigError);
  EXPECT_EQ(refused.status.pointer(), "/base_url");
}

}  // namespace
}  // namespace ajuste::provider::testing
