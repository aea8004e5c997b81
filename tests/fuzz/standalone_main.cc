// Runs a fuzz target without libFuzzer (gcc builds, CI): the seed inputs, then a bounded
// number of deterministic random mutations of them. A real fuzzing run uses clang with
// -DSTRATA_FUZZ=ON, which links the same target against libFuzzer instead of this file.
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern const char* const kFuzzSeeds[];
extern const size_t kFuzzSeedCount;

int main(int argc, char** argv) {
  long iterations = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 200000;
  std::mt19937_64 rng(12345);
  std::vector<std::string> seeds(kFuzzSeeds, kFuzzSeeds + kFuzzSeedCount);
  for (const auto& s : seeds) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  }
  const char kAlphabet[] = "*$\r\n0123456789-+ \"'\\xabcSETGET";
  for (long i = 0; i < iterations; ++i) {
    std::string input = seeds[rng() % seeds.size()];
    int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits; ++e) {
      size_t pos = input.empty() ? 0 : rng() % (input.size() + 1);
      switch (rng() % 4) {
        case 0:
          input.insert(pos, 1, kAlphabet[rng() % (sizeof(kAlphabet) - 1)]);
          break;
        case 1:
          if (pos < input.size()) input.erase(pos, 1);
          break;
        case 2:
          if (pos < input.size()) input[pos] = static_cast<char>(rng());
          break;
        case 3:
          input += seeds[rng() % seeds.size()];
          break;
      }
    }
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
  }
  std::printf("%ld inputs, no crash\n", iterations + static_cast<long>(seeds.size()));
  return 0;
}
