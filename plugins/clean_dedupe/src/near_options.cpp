#include "near_options.hpp"

namespace ajuste::clean_dedupe {

std::string nearOptionsSchema(std::string_view description) {
  return R"json({
      "type": "object",
      "additionalProperties": false,
      "description": )json" +
         nlohmann::json(description).dump() + R"json(,
      "properties": {
        "threshold": {"type": "number", "exclusiveMinimum": 0, "maximum": 1, "default": 0.8,
                      "description": "Estimated Jaccard similarity of the shingle sets at or above which two records are near duplicates."},
        "unit": {"enum": ["char", "word"], "default": "char", "description": "Shingle over Unicode characters or words."},
        "shingle": {"type": "integer", "minimum": 1, "maximum": 64, "default": 5, "description": "Units per shingle."},
        "permutations": {"type": "integer", "minimum": 8, "maximum": 1024, "default": 128,
                         "description": "MinHash signature length (4 bytes each per indexed record)."},
        "bands": {"type": "integer", "minimum": 1, "maximum": 1024, "default": 32,
                  "description": "LSH bands; must divide permutations. More bands find less similar candidates."},
        "seed": {"type": "integer", "minimum": 0, "default": 0, "description": "Seed of the hash family."}
      }
    })json";
}

Result<NearOptions> parseNearOptions(const nlohmann::json& near, const std::string& pointer) {
  NearOptions n;
  n.threshold = near.value("threshold", 0.8);
  n.minhash.unit = near.value("unit", std::string("char")) == "word" ? ShingleUnit::kWord : ShingleUnit::kCharacter;
  n.minhash.shingle = near.value("shingle", std::size_t{5});
  n.minhash.permutations = near.value("permutations", std::size_t{128});
  n.minhash.seed = near.value("seed", std::uint64_t{0});
  n.bands = near.value("bands", std::size_t{32});
  if (n.minhash.permutations % n.bands != 0) {
    return Status::configError(pointer + "/bands", "must divide permutations (" +
                                                       std::to_string(n.minhash.permutations) + "), got " +
                                                       std::to_string(n.bands) + "; e.g. 16, 32 or 64 for 128");
  }
  return n;
}

}  // namespace ajuste::clean_dedupe
