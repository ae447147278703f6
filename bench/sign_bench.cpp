// Sigstore and PEP 740 verification cost: one attestation end to end (the target is under
// 5 ms with the trust root loaded in), and one hashedrekord bundle.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "moat/sign/attestation.hpp"
#include "moat/sign/bundle.hpp"
#include "moat/sign/trusted_root.hpp"
#include "moat/sign/verifier.hpp"
#include "moat/util/file.hpp"

namespace {

std::string shared_file(const std::string& relative) {
  const std::filesystem::path root = std::filesystem::path(MOAT_SOURCE_DIR).parent_path() / "shared/data/sigstore";
  auto text = moat::read_file(root / relative);
  return text ? *text : std::string();
}

void BM_TrustedRootParse(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(moat::sign::parse_trusted_root(moat::sign::embedded_production_trusted_root_json()));
}
BENCHMARK(BM_TrustedRootParse)->Unit(benchmark::kMicrosecond);

void BM_Pep740AttestationWithRootLoad(benchmark::State& state) {
  const std::string attestation = shared_file("pypi-attestations/pypi_attestations-0.0.19.tar.gz.publish.attestation");
  const std::string dist = shared_file("pypi-attestations/pypi_attestations-0.0.19.tar.gz");
  if (attestation.empty() || dist.empty()) {
    state.SkipWithError("../shared/data/sigstore is absent");
    return;
  }
  moat::sign::Policy policy;
  policy.identity = moat::sign::publisher_policy(*moat::sign::parse_publisher_spec("github:trailofbits/pypi-attestations/release.yml"));
  for (auto _ : state) {
    auto root = moat::sign::parse_trusted_root(moat::sign::embedded_production_trusted_root_json());
    auto verified = moat::sign::verify_attestation(attestation, "pypi_attestations-0.0.19.tar.gz",
                                                   moat::sign::artifact_from_bytes(dist), *root, policy);
    if (!verified) state.SkipWithError(verified.error().to_string().c_str());
    benchmark::DoNotOptimize(verified);
  }
}
BENCHMARK(BM_Pep740AttestationWithRootLoad)->Unit(benchmark::kMillisecond);

void BM_HashedRekordBundle(benchmark::State& state) {
  const std::string bundle_json = shared_file("sigstore-python/assets/bundle_v3_github.whl.sigstore");
  const std::string artifact = shared_file("sigstore-python/assets/bundle_v3_github.whl");
  if (bundle_json.empty() || artifact.empty()) {
    state.SkipWithError("../shared/data/sigstore is absent");
    return;
  }
  moat::sign::Policy policy;
  policy.identity = moat::sign::identity_is(
      "https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2",
      "https://token.actions.githubusercontent.com");
  const moat::sign::TrustedRoot& root = moat::sign::production_trusted_root();
  for (auto _ : state) {
    auto bundle = moat::sign::parse_bundle(bundle_json);
    auto verified = moat::sign::verify_bundle(*bundle, moat::sign::artifact_from_bytes(artifact), root, policy);
    if (!verified) state.SkipWithError(verified.error().to_string().c_str());
    benchmark::DoNotOptimize(verified);
  }
}
BENCHMARK(BM_HashedRekordBundle)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
