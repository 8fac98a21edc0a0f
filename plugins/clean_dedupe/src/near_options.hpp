#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ajuste/status.hpp"

#include "minhash.hpp"

namespace ajuste::clean_dedupe {

struct NearOptions {
  double threshold = 0.8;  // estimated Jaccard similarity at or above which two records are near duplicates
  std::size_t bands = 32;  // LSH bands; permutations / bands rows each
  MinHashOptions minhash;
};

// The JSON Schema of a `near` option object (threshold, unit, shingle, permutations, bands,
// seed), shared by clean/dedupe and split/random's leakage check so both accept the same thing.
// `description` is what the enclosing option means in that stage.
[[nodiscard]] std::string nearOptionsSchema(std::string_view description);

// The options from a schema-checked `near` object; a config error at `pointer` + "/bands" when
// bands does not divide permutations (a rule JSON Schema cannot say).
[[nodiscard]] Result<NearOptions> parseNearOptions(const nlohmann::json& near, const std::string& pointer);

}  // namespace ajuste::clean_dedupe
