// Parser throughput over the CPython standard library (single thread) and peak heap per parse.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <new>
#include <string>
#include <vector>

#include "moat/python/parser.hpp"
#include "moat/util/file.hpp"

namespace {

// Heap accounting for the peak-memory benchmark only, so the throughput benchmark runs with the
// plain allocator. Both benchmarks are single-threaded.
bool g_counting = false;
std::int64_t g_live_bytes = 0;
std::int64_t g_peak_bytes = 0;

void note_allocation(void* pointer) {
  if (!g_counting || pointer == nullptr) return;
  g_live_bytes += static_cast<std::int64_t>(malloc_usable_size(pointer));
  g_peak_bytes = std::max(g_peak_bytes, g_live_bytes);
}

/// The .py files of the standard library (MOAT_BENCH_PYTHON_DIR overrides the directory).
const std::vector<std::string>& corpus() {
  static const std::vector<std::string> files = [] {
    std::vector<std::string> sources;
    const char* override_dir = std::getenv("MOAT_BENCH_PYTHON_DIR");
    const std::filesystem::path root = override_dir != nullptr ? override_dir : "/root/.pyenv/versions/3.11.7/lib/python3.11";
    std::error_code error;
    for (auto it = std::filesystem::recursive_directory_iterator(root, error);
         !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
      const auto& path = it->path();
      if (it->is_directory() && path.filename() == "site-packages" && override_dir == nullptr) {
        it.disable_recursion_pending();
        continue;
      }
      if (path.extension() != ".py" || !it->is_regular_file()) continue;
      if (auto bytes = moat::read_file(path)) sources.push_back(std::move(*bytes));
    }
    return sources;
  }();
  return files;
}

moat::python::ParseOptions python311() {
  moat::python::ParseOptions options;
  options.target = moat::python::PythonVersion::Py311;
  return options;
}

void BM_ParseStdlib(benchmark::State& state) {
  const auto& files = corpus();
  std::size_t bytes = 0;
  for (const auto& source : files) bytes += source.size();
  if (files.empty()) {
    state.SkipWithError("no Python files found (set MOAT_BENCH_PYTHON_DIR)");
    return;
  }
  for (auto _ : state) {
    for (const auto& source : files) {
      auto parsed = moat::python::parse(source, python311());
      benchmark::DoNotOptimize(parsed.module().body.data());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["files"] = static_cast<double>(files.size());
}
BENCHMARK(BM_ParseStdlib)->Unit(benchmark::kMillisecond);

/// Peak heap used while parsing the largest file, as a multiple of its size.
void BM_PeakMemoryLargestFile(benchmark::State& state) {
  const auto& files = corpus();
  if (files.empty()) {
    state.SkipWithError("no Python files found");
    return;
  }
  const auto largest = std::max_element(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.size() < b.size(); });
  double ratio = 0;
  for (auto _ : state) {
    moat::python::Arena::release_thread_cache();  // a cold parse: every block freshly allocated
    g_live_bytes = 0;
    g_peak_bytes = 0;
    g_counting = true;
    {
      auto parsed = moat::python::parse(*largest, python311());
      benchmark::DoNotOptimize(parsed.module().body.data());
    }
    g_counting = false;
    ratio = static_cast<double>(g_peak_bytes) / static_cast<double>(largest->size());
  }
  state.counters["largest_file_bytes"] = static_cast<double>(largest->size());
  state.counters["peak_heap_per_source_byte"] = ratio;
}
BENCHMARK(BM_PeakMemoryLargestFile)->Unit(benchmark::kMillisecond);

}  // namespace

// Counting allocator for the peak-memory figure.
void* operator new(std::size_t size) {
  void* pointer = std::malloc(size == 0 ? 1 : size);
  if (pointer == nullptr) throw std::bad_alloc();
  note_allocation(pointer);
  return pointer;
}
void* operator new[](std::size_t size) { return operator new(size); }
void operator delete(void* pointer) noexcept {
  if (pointer == nullptr) return;
  if (g_counting) g_live_bytes -= static_cast<std::int64_t>(malloc_usable_size(pointer));
  std::free(pointer);
}
void operator delete[](void* pointer) noexcept { operator delete(pointer); }
void operator delete(void* pointer, std::size_t) noexcept { operator delete(pointer); }
void operator delete[](void* pointer, std::size_t) noexcept { operator delete(pointer); }

BENCHMARK_MAIN();
