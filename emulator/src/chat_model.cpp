#include "chat_model.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "ids.hpp"
#include "jsonl_check.hpp"

namespace ajuste::emulator {
namespace {

constexpr double kFineTunedAgreement = 0.85;
constexpr double kBaseAgreement = 0.5;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string textOf(const nlohmann::json& content) {
  if (content.is_string()) return content.get<std::string>();
  std::string out;
  if (content.is_array()) {
    for (const auto& part : content) {
      if (part.is_object() && part.value("type", "") == "text") out += part.value("text", "");
    }
  }
  return out;
}

std::uint64_t imageParts(const nlohmann::json& content) {
  std::uint64_t count = 0;
  if (content.is_array()) {
    for (const auto& part : content) {
      if (part.is_object() && part.value("type", "") == "image_url") ++count;
    }
  }
  return count;
}

std::size_t countHits(const std::string& text, std::initializer_list<std::string_view> words) {
  std::size_t hits = 0;
  for (const auto word : words) {
    for (std::size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + word.size())) ++hits;
  }
  return hits;
}

bool looksPortuguese(const std::string& text) {
  return countHits(text, {" não ", "ção", " é ", "avalia", "estrela", " muito", " produto", " mas "}) >= 2;
}

std::string truncateUtf8(const std::string& text, std::size_t bytes) {
  if (text.size() <= bytes) return text;
  std::size_t cut = bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) --cut;
  return text.substr(0, cut);
}

}  // namespace

int referenceRating(const std::string& review) {
  const std::string text = lower(review);
  const std::size_t strong_bad = countHits(text, {"terrible", "waste of money", "do not buy", "zero stars", "fell apart",
                                                  "damaged", "returned", "péssimo", "jogado fora", "não comprem",
                                                  "zero estrelas", "defeito", "devolvi", "estragou", "broke after",
                                                  "quebrou", "worst"});
  const std::size_t bad = countHits(text, {"disappoint", "not great", "worse", "stopped working", "return", "below",
                                           "cheap", "decepcion", "pior", "parou", "devolver", "abaixo", "não gostei",
                                           "não recomendo", "esperava bem mais", "wanted to like"});
  const std::size_t mixed = countHits(text, {"okay", "mixed", "average", "not bad", "nothing special", "fine but",
                                             "expected more", "razoável", "mistos", "nada de especial", "cumpre o básico",
                                             "esperava mais", "às vezes"});
  // "not great" is no praise.
  const std::size_t good = countHits(text, {"good", "great", "happy", "solid", "exactly", "gripe", "bom", "gostei",
                                            "custo-benefício", "porém", "could be better", "poderia ser melhor"}) -
                           countHits(text, {"not great"});
  const std::size_t best = countHits(text, {"love", "best", "fantastic", "excellent", "five stars", "worth every",
                                            "so glad", "amei", "melhor", "superou", "cinco estrelas", "vale cada",
                                            "recomendo muito", "excelente"});
  if (strong_bad > 0 && best == 0) return 1;
  if (mixed > 0 && best == 0) return 3;
  if (bad > 0 && best + good == 0) return 2;
  if (best > good && bad == 0 && mixed == 0) return 5;
  if (good + best > 0) return 4;
  return 3;
}

ChatAnswer answerChat(const nlohmann::json& messages, const std::string& model, bool fine_tuned,
                      std::optional<std::uint64_t> max_tokens) {
  ChatAnswer answer;
  std::string all_text;
  std::string last_user;
  std::string system;
  for (const auto& message : messages) {
    const std::string role = message.value("role", "");
    const nlohmann::json content = message.contains("content") ? message["content"] : nlohmann::json();
    const std::string text = textOf(content);
    // Per message: its framing (~3 tokens), its role and its text; images cost a flat 85.
    answer.prompt_tokens += 3 + estimateTokens(role) + (text.empty() ? 0 : estimateTokens(text)) + 85 * imageParts(content);
    all_text += role + ":" + text + "\n";
    if (role == "user") last_user = text;
    if (role == "system" || role == "developer") system += text;
  }
  answer.prompt_tokens += 3;  // the reply's priming

  const std::string context = lower(system + " " + last_user);
  const bool rating_task = countHits(context, {"review", "rating", "star", "avali", "estrela", "resenha"}) > 0;
  const std::uint64_t hash = hashText(all_text, hashText(model));
  if (rating_task && !last_user.empty()) {
    const int reference = referenceRating(last_user);
    const bool agrees = unitInterval(hash) < (fine_tuned ? kFineTunedAgreement : kBaseAgreement);
    int rating = reference;
    if (!agrees) rating = reference == 5 ? 4 : reference == 1 ? 2 : reference + ((hash >> 7U) % 2 == 0 ? 1 : -1);
    const std::string n = std::to_string(rating);
    if (!fine_tuned) {
      answer.content = "I would rate this review " + n + " out of 5 stars.";
    } else if (looksPortuguese(" " + lower(last_user) + " ")) {
      answer.content = "Avaliação: " + n + (rating == 1 ? " estrela" : " estrelas");
    } else {
      answer.content = "Rating: " + n + (rating == 1 ? " star" : " stars");
    }
  } else {
    answer.content = "Simulated reply from ajuste-emulator (model " + model + ", answer " + base62(hash, 8) +
                     "). No real model produced this text.";
  }
  answer.completion_tokens = estimateTokens(answer.content);
  if (max_tokens && *max_tokens < answer.completion_tokens) {
    answer.content = truncateUtf8(answer.content, static_cast<std::size_t>(*max_tokens) * 4);
    answer.completion_tokens = *max_tokens;
    answer.finish_reason = "length";
  }
  return answer;
}

}  // namespace ajuste::emulator
