// A stand-in for libFuzzer's main, so fuzz targets build and run with g++ and in CI:
//
//   <target> [--runs=N] [--seed=S] [--max-len=L] [--dict=FILE] [--save=FILE] [CORPUS_FILE_OR_FOLDER...]
//
// It runs LLVMFuzzerTestOneInput on every corpus file, then on N inputs made by seeded random
// mutations of the corpus (bit flips, byte changes, insertions of dictionary tokens, deletions,
// duplications, splices, truncations). There is no coverage feedback: it finds shallow bugs
// only, cheaply and deterministically (same seed, same inputs). Real fuzzing sessions build the
// same targets with -DAJUSTE_FUZZ=ON and clang. Single-dash options (-runs=N) work too.
// A target reports a broken invariant itself (fuzz_check.hpp prints the input); after a
// sanitizer report, rerun with the same options plus --save=FILE: each input is written to FILE
// before it runs, so FILE holds the one that failed.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

// SplitMix64: tiny, and the same sequence everywhere.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t bound) { return bound == 0 ? 0 : static_cast<std::size_t>(next() % bound); }

 private:
  std::uint64_t state_;
};

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// libFuzzer dictionary lines: name="value" with \\, \" and \xNN escapes; # starts a comment.
std::vector<std::string> readDictionary(const std::filesystem::path& path) {
  std::vector<std::string> tokens;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    const auto open = line.find('"');
    const auto close = line.rfind('"');
    if (line.empty() || line[0] == '#' || open == std::string::npos || close <= open) continue;
    std::string token;
    for (std::size_t i = open + 1; i < close; ++i) {
      if (line[i] != '\\' || i + 1 >= close) {
        token += line[i];
      } else if (line[i + 1] == 'x' && i + 3 < close) {
        token += static_cast<char>(std::stoi(line.substr(i + 2, 2), nullptr, 16));
        i += 3;
      } else {
        token += line[++i];
      }
    }
    tokens.push_back(token);
  }
  return tokens;
}

std::string mutate(std::string input, const std::vector<std::string>& pool, const std::vector<std::string>& dictionary,
                   Random& random, std::size_t max_len) {
  static const char kInteresting[] = {'\0', '\n', '\r', '"', ',', '{', '}', '[', ']', '|', '\\',
                                      '\t', '\x7F', '\x80', '\xC3', '\xE9', '\xEF', '\xFF'};
  const std::size_t steps = 1 + random.below(4);
  for (std::size_t step = 0; step < steps; ++step) {
    const std::size_t at = random.below(input.size() + 1);
    switch (random.below(9)) {
      case 0:
        if (!input.empty()) {
          const std::size_t k = random.below(input.size());
          input[k] = static_cast<char>(static_cast<unsigned char>(input[k]) ^ (1u << random.below(8)));
        }
        break;
      case 1:
        if (!input.empty()) input[random.below(input.size())] = static_cast<char>(random.below(256));
        break;
      case 2: input.insert(at, 1, kInteresting[random.below(sizeof kInteresting)]); break;
      case 3:
        if (!dictionary.empty()) input.insert(at, dictionary[random.below(dictionary.size())]);
        break;
      case 4:
        if (at < input.size()) input.erase(at, 1 + random.below(std::min<std::size_t>(16, input.size() - at)));
        break;
      case 5:
        if (at < input.size()) input.insert(at, input.substr(at, 1 + random.below(32)));
        break;
      case 6: {
        const std::string& other = pool[random.below(pool.size())];
        input = input.substr(0, at) + other.substr(random.below(other.size() + 1));
        break;
      }
      case 7: input.resize(at); break;
      default: input.insert(at, 1, static_cast<char>(random.below(256))); break;
    }
  }
  if (input.size() > max_len) input.resize(max_len);
  return input;
}

bool option(const std::string& argument, const char* name, std::string* value) {
  for (const char* dashes : {"--", "-"}) {
    const std::string prefix = std::string(dashes) + name + "=";
    if (argument.rfind(prefix, 0) == 0) {
      *value = argument.substr(prefix.size());
      return true;
    }
  }
  return false;
}

std::string save_path;

void run(const std::string& input) {
  if (!save_path.empty()) std::ofstream(save_path, std::ios::binary | std::ios::trunc) << input;
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t runs = 1000;
  std::uint64_t seed = 1;
  std::size_t max_len = 4096;
  std::vector<std::string> dictionary;
  std::vector<std::string> corpus;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    std::string value;
    if (option(argument, "runs", &value)) {
      runs = std::stoul(value);
    } else if (option(argument, "seed", &value)) {
      seed = std::stoull(value);
    } else if (option(argument, "max-len", &value) || option(argument, "max_len", &value)) {
      max_len = std::stoul(value);
    } else if (option(argument, "save", &value)) {
      save_path = value;
    } else if (option(argument, "dict", &value)) {
      dictionary = readDictionary(value);
    } else if (std::filesystem::is_directory(argument)) {
      std::vector<std::filesystem::path> files;
      for (const auto& entry : std::filesystem::directory_iterator(argument)) files.push_back(entry.path());
      std::sort(files.begin(), files.end());
      for (const auto& file : files) corpus.push_back(readFile(file));
    } else if (std::filesystem::is_regular_file(argument)) {
      corpus.push_back(readFile(argument));
    } else {
      std::fprintf(stderr, "%s: no such corpus file or folder, and not an option: %s\n", argv[0], argument.c_str());
      return 2;
    }
  }
  const auto start = std::chrono::steady_clock::now();
  run("");
  for (const std::string& input : corpus) run(input);
  std::vector<std::string> pool = corpus;
  if (pool.empty()) pool.emplace_back();
  Random random(seed);
  for (std::size_t i = 0; i < runs; ++i) {
    std::string input = mutate(pool[random.below(pool.size())], pool, dictionary, random, max_len);
    run(input);
    // Keep some mutants as bases for later ones, so mutations stack up over the run.
    if (random.below(8) == 0) {
      if (pool.size() < 512) {
        pool.push_back(std::move(input));
      } else {
        pool[random.below(pool.size())] = std::move(input);
      }
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("standalone fuzz driver: %zu corpus inputs and %zu mutations (seed %llu) in %.2f s, no failure\n",
              corpus.size(), runs, static_cast<unsigned long long>(seed), seconds);
  return 0;
}
