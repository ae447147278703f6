// Workflow audit throughput: files per second over a directory of workflows.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "moat/publish/guide.hpp"
#include "moat/publish/publish.hpp"

namespace {

// A realistic mix: the guide's clean release workflow and a vulnerable one with findings for most audits.
constexpr std::string_view kVulnerable = R"(name: release
on:
  push:
    tags: ["v*"]
  pull_request_target:
permissions: write-all
jobs:
  release:
    runs-on: [self-hosted, linux]
    permissions:
      id-token: write
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
          cache: pip
      - run: |
          echo "Releasing ${{ github.event.pull_request.title }}"
          python -m pip install build twine
          python -m build
      - uses: actions/upload-artifact@v4
        with:
          name: dist
          path: .
      - uses: pypa/gh-action-pypi-publish@release/v1
        with:
          password: ${{ secrets.PYPI_API_TOKEN }}
          attestations: false
)";

std::filesystem::path make_directory(int files) {
  const auto directory =
      std::filesystem::temp_directory_path() / ("moat-publish-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(directory);
  for (int i = 0; i < files; ++i) {
    std::ofstream out(directory / ("workflow-" + std::to_string(i) + ".yml"));
    out << (i % 2 == 0 ? kVulnerable : moat::publish::guide_example_workflow());
  }
  return directory;
}

void BM_AuditWorkflowDirectory(benchmark::State& state) {
  const int files = static_cast<int>(state.range(0));
  const auto directory = make_directory(files);
  std::size_t findings = 0;
  for (auto _ : state) {
    moat::Report report;
    auto inputs = moat::publish::collect_inputs(directory, "workflows", report);
    moat::publish::audit_inputs(inputs, report);
    findings = report.findings.size();
    benchmark::DoNotOptimize(report);
  }
  state.counters["files/s"] = benchmark::Counter(static_cast<double>(files) * static_cast<double>(state.iterations()),
                                                 benchmark::Counter::kIsRate);
  state.counters["findings"] = static_cast<double>(findings);
  std::filesystem::remove_all(directory);
}
BENCHMARK(BM_AuditWorkflowDirectory)->Arg(1000)->Unit(benchmark::kMillisecond);

void BM_AuditOneWorkflowInMemory(benchmark::State& state) {
  const std::string text(kVulnerable);
  for (auto _ : state) {
    moat::Report report;
    moat::publish::audit_text(text, "release.yml", moat::publish::InputKind::github_workflow, report);
    benchmark::DoNotOptimize(report);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_AuditOneWorkflowInMemory);

}  // namespace

BENCHMARK_MAIN();
