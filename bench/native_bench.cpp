// Identification, hardening and CVE matching of real shared libraries: every regular *.so* file
// under /usr/lib/x86_64-linux-gnu (override with MOAT_NATIVE_BENCH_DIR), read into memory first.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "moat/native/native.hpp"

namespace {

struct Corpus {
  std::vector<std::pair<std::string, std::string>> files;  // name, bytes
  std::size_t bytes = 0;
};

const Corpus& corpus() {
  static const Corpus loaded = [] {
    Corpus result;
    const char* override_dir = std::getenv("MOAT_NATIVE_BENCH_DIR");
    const std::filesystem::path dir = override_dir != nullptr ? override_dir : "/usr/lib/x86_64-linux-gnu";
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
      const auto name = entry.path().filename().string();
      if (entry.is_symlink() || !entry.is_regular_file() || name.find(".so") == std::string::npos) continue;
      std::ifstream stream(entry.path(), std::ios::binary);
      std::ostringstream text;
      text << stream.rdbuf();
      const auto data = text.str();
      if (!moat::native::looks_like_binary(std::as_bytes(std::span(data.data(), data.size())))) continue;
      result.bytes += data.size();
      result.files.emplace_back(name, data);
    }
    return result;
  }();
  return loaded;
}

void BM_AnalyzeSystemLibraries(benchmark::State& state) {
  const auto& files = corpus();
  for (auto _ : state) {
    for (const auto& [name, data] : files.files) {
      auto report = moat::native::analyze_binary(name, std::as_bytes(std::span(data.data(), data.size())));
      benchmark::DoNotOptimize(moat::native::native_findings(report));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(files.files.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(files.bytes));
  state.counters["binaries"] = static_cast<double>(files.files.size());
  state.counters["MB"] = static_cast<double>(files.bytes) / 1e6;
}
BENCHMARK(BM_AnalyzeSystemLibraries)->Unit(benchmark::kMillisecond);

void BM_ParseOnly(benchmark::State& state) {
  const auto& files = corpus();
  for (auto _ : state)
    for (const auto& [name, data] : files.files)
      benchmark::DoNotOptimize(moat::native::parse_binary(std::as_bytes(std::span(data.data(), data.size()))));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(files.files.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(files.bytes));
}
BENCHMARK(BM_ParseOnly)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
