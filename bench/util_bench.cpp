// Baseline: reading a file through moat's I/O helper (what every scanner does first).
#include <benchmark/benchmark.h>

#include <filesystem>

#include "moat/util/file.hpp"

namespace {

void BM_ReadFile(benchmark::State& state) {
  const auto path = std::filesystem::temp_directory_path() / "moat_bench_read_file";
  const std::string content(static_cast<std::size_t>(state.range(0)), 'x');
  (void)moat::write_file_atomically(path, content);
  for (auto _ : state) benchmark::DoNotOptimize(moat::read_file(path));
  state.SetBytesProcessed(state.iterations() * state.range(0));
  std::filesystem::remove(path);
}
BENCHMARK(BM_ReadFile)->Arg(4096)->Arg(1 << 20);

}  // namespace

BENCHMARK_MAIN();
