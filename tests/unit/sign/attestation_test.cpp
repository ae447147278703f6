// PEP 740 attestations and PyPI provenance with the real vectors, and the Trusted Publisher policy.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "moat/sign/attestation.hpp"
#include "moat/sign/certificate.hpp"
#include "moat/sign/distribution_name.hpp"
#include "moat/util/file.hpp"
#include "support/shared_data.hpp"

namespace {

using namespace moat::sign;
using nlohmann::json;

std::string data_file(const std::string& relative) {
  auto text = moat::read_file(moat::testing::shared_data_dir() / "data/sigstore/pypi-attestations" / relative);
  EXPECT_TRUE(text.has_value()) << relative;
  return text ? *text : std::string();
}

constexpr const char* kSdist = "pypi_attestations-0.0.19.tar.gz";

Policy publisher(const std::string& spec) {
  Policy policy;
  policy.identity = publisher_policy(*parse_publisher_spec(spec));
  return policy;
}

std::string failing_check(const std::string& attestation, const std::string& file_name, const std::string& dist,
                          const Policy& policy, const TrustedRoot& root = production_trusted_root()) {
  auto verified = verify_attestation(attestation, file_name, artifact_from_bytes(dist), root, policy);
  return verified ? std::string("verified") : verified.error().subject + ": " + verified.error().message;
}

TEST(Pep740, RealGitHubAttestationsVerify) {
  MOAT_REQUIRE_SHARED_DATA();
  const std::string dist = data_file(kSdist);
  for (const char* suffix : {".publish.attestation", ".slsa.attestation"}) {
    auto verified = verify_attestation(data_file(std::string(kSdist) + suffix), kSdist, artifact_from_bytes(dist),
                                       production_trusted_root(), publisher("github:trailofbits/pypi-attestations/release.yml"));
    ASSERT_TRUE(verified.has_value()) << suffix << ": " << verified.error().to_string();
    EXPECT_EQ(verified->predicate_type,
              std::string(suffix) == ".publish.attestation" ? kPublishPredicate : kSlsaProvenancePredicate);
    EXPECT_EQ(verified->bundle.entry_kind, "dsse/0.0.1");
  }
}

TEST(Pep740, GitLabAttestationVerifies) {
  MOAT_REQUIRE_SHARED_DATA();
  const std::string name = "gitlab_oidc_project-0.0.3.tar.gz";
  EXPECT_EQ(failing_check(data_file(name + ".publish.attestation"), name, data_file(name),
                          publisher("gitlab:facutuesca/gitlab-oidc-project/.gitlab-ci.yml")),
            "verified");
  EXPECT_EQ(failing_check(data_file(name + ".publish.attestation"), name, data_file(name),
                          publisher("gitlab:facutuesca/gitlab-oidc-project//.gitlab-ci.yml")),
            "verified");
  EXPECT_NE(failing_check(data_file(name + ".publish.attestation"), name, data_file(name),
                          publisher("gitlab:facutuesca/other-project/.gitlab-ci.yml")),
            "verified");
  EXPECT_NE(failing_check(data_file(name + ".publish.attestation"), name, data_file(name),
                          publisher("github:facutuesca/gitlab-oidc-project")),
            "verified");
}

TEST(Pep740, StagingAttestationsNeedTheStagingRoot) {
  MOAT_REQUIRE_SHARED_DATA();
  const std::string name = "rfc8785-0.1.2-py3-none-any.whl";
  Policy policy;
  policy.identity = identity_is("william@yossarian.net", "https://github.com/login/oauth");
  for (const char* suffix : {".attestation", ".publish.attestation"}) {
    EXPECT_EQ(failing_check(data_file(name + suffix), name, data_file(name), policy, staging_trusted_root()), "verified");
    EXPECT_NE(failing_check(data_file(name + suffix), name, data_file(name), policy, production_trusted_root()), "verified");
  }
}

TEST(Pep740, ActionsAttestConvertedAttestationVerifies) {
  MOAT_REQUIRE_SHARED_DATA();
  const std::string name = "pypi_attestation_models-0.0.4a2.tar.gz";
  EXPECT_EQ(failing_check(data_file(name + ".attestation"), name, data_file(name),
                          publisher("github:trailofbits/pypi-attestation-models/release.yml")),
            "verified");
}

TEST(Pep740, TamperedInputsFailForTheRightReason) {
  MOAT_REQUIRE_SHARED_DATA();
  const std::string attestation = data_file(std::string(kSdist) + ".publish.attestation");
  const std::string dist = data_file(kSdist);
  const Policy good = publisher("github:trailofbits/pypi-attestations/release.yml");

  std::string flipped = dist;
  flipped[1000] = static_cast<char>(flipped[1000] ^ 0x01);
  EXPECT_TRUE(failing_check(attestation, kSdist, flipped, good).starts_with("subject:"));
  EXPECT_TRUE(failing_check(attestation, kSdist, dist, publisher("github:trailofbits/pypi-attestations/wrong.yml"))
                  .starts_with("identity:"));
  EXPECT_TRUE(failing_check(attestation, kSdist, dist, publisher("github:evil/pypi-attestations/release.yml"))
                  .starts_with("identity:"));
  EXPECT_TRUE(failing_check(attestation, kSdist, dist, publisher("google:someone@example.com")).starts_with("identity:"));
  EXPECT_TRUE(failing_check(attestation, "pypi_attestations-0.0.20.tar.gz", dist, good).starts_with("subject:"));
  EXPECT_TRUE(failing_check(attestation, kSdist, dist, good, staging_trusted_root()).starts_with("transparency log:"));

  // The subject digest edited inside the statement: the DSSE signature no longer verifies.
  json edited = json::parse(attestation);
  std::string statement = *base64_decode(edited["envelope"]["statement"].get<std::string>());
  const std::size_t digest = statement.find("9bb1add0");
  ASSERT_NE(digest, std::string::npos);
  statement[digest] = '8';
  edited["envelope"]["statement"] = base64_encode(statement);
  EXPECT_TRUE(failing_check(edited.dump(), kSdist, dist, good).starts_with("signature:"));
}

TEST(Pep740, SubjectWithEquivalentWheelTagOrderIsAccepted) {
  MOAT_REQUIRE_SHARED_DATA();
  const std::string attestation =
      data_file("spt3g-1.0-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl.publish.attestation");
  // The wheel itself is not in the data set; its digest is.
  Artifact artifact;
  const std::string digest = *hex_decode("d2772f9a5199f05ed1be8d9aa78b879e51772e3ead9d73fe8057257b1aec7cf8");
  std::copy(digest.begin(), digest.end(), artifact.digest.begin());
  Policy policy;
  policy.identity = identity_is("william@yossarian.net", "https://github.com/login/oauth");
  auto swapped = verify_attestation(attestation, "spt3g-1.0-cp310-cp310-manylinux2014_x86_64.manylinux_2_17_x86_64.whl",
                                    artifact, staging_trusted_root(), policy);
  EXPECT_TRUE(swapped.has_value()) << swapped.error().to_string();
  auto other_platform = verify_attestation(attestation, "spt3g-1.0-cp310-cp310-manylinux2014_aarch64.whl", artifact,
                                           staging_trusted_root(), policy);
  ASSERT_FALSE(other_platform.has_value());
  EXPECT_EQ(other_platform.error().subject, "subject");
}

TEST(Pep740, ProvenanceObjectCarriesItsPublisher) {
  MOAT_REQUIRE_SHARED_DATA();
  auto bundles = parse_provenance(data_file(std::string(kSdist) + ".provenance"));
  ASSERT_TRUE(bundles.has_value()) << bundles.error().to_string();
  ASSERT_EQ(bundles->size(), 1U);
  const ProvenanceBundle& bundle = bundles->front();
  ASSERT_TRUE(bundle.publisher.has_value());
  EXPECT_EQ(bundle.publisher->repository, "trailofbits/pypi-attestations");
  EXPECT_EQ(bundle.publisher->workflow, "release.yml");
  ASSERT_EQ(bundle.attestations.size(), 1U);
  Policy policy;
  policy.identity = publisher_policy(*bundle.publisher);
  EXPECT_EQ(failing_check(bundle.attestations.front(), kSdist, data_file(kSdist), policy), "verified");
}

TEST(Pep740, HostileDocumentsAreErrors) {
  for (const char* text : {"", "[]", R"({"version":2})", R"({"version":1,"verification_material":3,"envelope":{}})",
                           R"({"version":1,"verification_material":{"transparency_entries":[]},"envelope":{}})"})
    EXPECT_FALSE(attestation_to_bundle(text).has_value()) << text;
  for (const char* text : {"", R"({"version":1})", R"({"version":1,"attestation_bundles":[3]})",
                           R"({"version":1,"attestation_bundles":[{"publisher":{"kind":"GitHub"},"attestations":[]}]})"})
    EXPECT_FALSE(parse_provenance(text).has_value()) << text;
}

TEST(Publishers, SpecsParse) {
  auto github = parse_publisher_spec("github:owner/repo/release.yml");
  ASSERT_TRUE(github.has_value());
  EXPECT_EQ(github->repository, "owner/repo");
  EXPECT_EQ(github->workflow, "release.yml");
  auto any_workflow = parse_publisher_spec("github:owner/repo");
  ASSERT_TRUE(any_workflow.has_value());
  EXPECT_TRUE(any_workflow->workflow.empty());
  auto gitlab = parse_publisher_spec("gitlab:group/sub/project//ci/release.yml");
  ASSERT_TRUE(gitlab.has_value());
  EXPECT_EQ(gitlab->repository, "group/sub/project");
  EXPECT_EQ(gitlab->workflow, "ci/release.yml");
  auto google = parse_publisher_spec("google:sa@project.iam.gserviceaccount.com");
  ASSERT_TRUE(google.has_value());
  EXPECT_EQ(google->email, "sa@project.iam.gserviceaccount.com");
  EXPECT_FALSE(parse_publisher_spec("activestate:org/project").has_value());
  EXPECT_FALSE(parse_publisher_spec("github:repo-only").has_value());
  EXPECT_FALSE(parse_publisher_spec("github:a/b/c").has_value());
  EXPECT_FALSE(parse_publisher_spec("bitbucket:a/b").has_value());
}

TEST(Publishers, GitHubRuleFallsBackToTheSourceDigest) {
  MOAT_REQUIRE_SHARED_DATA();
  auto cert = parse_certificate(data_file("no-source-repository-ref-extension.pem"));
  ASSERT_TRUE(cert.has_value());
  const CertificateIdentity identity = certificate_identity(cert->get());
  EXPECT_TRUE(identity.extension(14).empty());
  ASSERT_FALSE(identity.extension(13).empty());
  const std::string repository = identity.extension(12).substr(std::string("https://github.com/").size());
  const std::string build_config = identity.extension(18);
  const std::string workflow =
      build_config.substr(build_config.rfind('/') + 1, build_config.find('@') - build_config.rfind('/') - 1);
  EXPECT_TRUE(publisher_policy(*parse_publisher_spec("github:" + repository + "/" + workflow))(identity).has_value())
      << repository << " " << workflow;
  EXPECT_FALSE(publisher_policy(*parse_publisher_spec("github:" + repository + "/other.yml"))(identity).has_value());
}

TEST(Publishers, GoogleIdentityIsTheServiceAccountEmail) {
  MOAT_REQUIRE_SHARED_DATA();
  auto cert = parse_certificate(data_file("200170367.pem"));
  ASSERT_TRUE(cert.has_value());
  const CertificateIdentity identity = certificate_identity(cert->get());
  EXPECT_EQ(identity.issuer, "https://accounts.google.com");
  EXPECT_NE(identity.san.find('@'), std::string::npos);
  EXPECT_TRUE(publisher_policy(*parse_publisher_spec("google:" + identity.san))(identity).has_value());
  EXPECT_FALSE(publisher_policy(*parse_publisher_spec("google:other@example.com"))(identity).has_value());
}

TEST(DistributionNames, WheelTagOrderAndSpellingDoNotMatter) {
  auto a = parse_distribution_name("spt3g-1.0-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
  auto b = parse_distribution_name("spt3g-1.0-cp310-cp310-manylinux2014_x86_64.manylinux_2_17_x86_64.whl");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(*parse_distribution_name("Foo.Bar-1.0.0-py3-none-any.whl"), *parse_distribution_name("foo_bar-1.0-py3-none-any.whl"));
  EXPECT_EQ(*parse_distribution_name("pkg-1.0a1.tar.gz"), *parse_distribution_name("pkg-1.0.0alpha.1.tar.gz"));
  EXPECT_FALSE(*parse_distribution_name("pkg-1.0-py3-none-any.whl") == *parse_distribution_name("pkg-1.0-py2-none-any.whl"));
  EXPECT_FALSE(*parse_distribution_name("pkg-1.0.tar.gz") == *parse_distribution_name("pkg-1.0.1.tar.gz"));
  EXPECT_FALSE(*parse_distribution_name("pkg-1.0.tar.gz") == *parse_distribution_name("pkg-1.0-py3-none-any.whl"));
  EXPECT_FALSE(parse_distribution_name("pkg-1.0.egg").has_value());
  EXPECT_FALSE(parse_distribution_name("pkg-1.0.WHL").has_value());
  EXPECT_FALSE(parse_distribution_name("pkg-notaversion.tar.gz").has_value());
  EXPECT_FALSE(parse_distribution_name("pkg-1.0-x-py3-none-any.whl").has_value());
}

TEST(DistributionNames, Pep440Normalization) {
  EXPECT_EQ(*normalize_version("1.0.0"), "1");
  EXPECT_EQ(*normalize_version("v1.2-RC.3"), "1.2rc3");
  EXPECT_EQ(*normalize_version("1.0-1"), "1.post1");
  EXPECT_EQ(*normalize_version("1.0.dev"), "1.dev0");
  EXPECT_EQ(*normalize_version("1!2.0+Local-01"), "1!2+local.1");
  EXPECT_FALSE(normalize_version("1.0foo").has_value());
}

}  // namespace
