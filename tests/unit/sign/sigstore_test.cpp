// Sigstore bundle verification against the real vectors in ../shared/data/sigstore, and tampered
// copies of them that must fail at the named check.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "moat/sign/bundle.hpp"
#include "moat/sign/trusted_root.hpp"
#include "moat/sign/tlog.hpp"
#include "moat/sign/verifier.hpp"
#include "moat/util/file.hpp"
#include "support/shared_data.hpp"

namespace {

using namespace moat::sign;
using nlohmann::json;

std::string data_file(const std::string& relative) {
  auto text = moat::read_file(moat::testing::shared_data_dir() / "data/sigstore" / relative);
  EXPECT_TRUE(text.has_value()) << relative;
  return text ? *text : std::string();
}

const TrustedRoot& root_named(const std::string& name) {
  return name == "staging" ? staging_trusted_root() : production_trusted_root();
}

Artifact digest_artifact(const std::string& hex) {
  Artifact artifact;
  const std::string bytes = *hex_decode(hex);
  std::copy(bytes.begin(), bytes.end(), artifact.digest.begin());
  return artifact;
}

moat::Result<VerifiedBundle> verify_text(const std::string& bundle_json, const Artifact& artifact, const TrustedRoot& root,
                                         IdentityCheck identity) {
  auto bundle = parse_bundle(bundle_json);
  if (!bundle) return std::unexpected(moat::Error{"bundle", bundle.error().message});
  Policy policy;
  policy.identity = std::move(identity);
  return verify_bundle(*bundle, artifact, root, policy);
}

struct Vector {
  const char* artifact;  // path under data/sigstore
  const char* bundle;
  const char* root;      // production, staging
  const char* identity;
  const char* issuer;
};

constexpr Vector kValid[] = {
    {"sigstore-python/assets/bundle_v3_github.whl", "sigstore-python/assets/bundle_v3_github.whl.sigstore", "production",
     "https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2",
     "https://token.actions.githubusercontent.com"},
    {"sigstore-python/assets/bundle.txt", "sigstore-python/assets/bundle.txt.sigstore", "staging", "a@tny.town",
     "https://github.com/login/oauth"},
    {"sigstore-python/assets/bundle_v3.txt", "sigstore-python/assets/bundle_v3.txt.sigstore", "staging",
     "william@yossarian.net", "https://github.com/login/oauth"},
    {"sigstore-python/assets/bundle_v3_alt.txt", "sigstore-python/assets/bundle_v3_alt.txt.sigstore", "staging",
     "william@yossarian.net", "https://github.com/login/oauth"},
    {"sigstore-python/assets/staging-rekor-v2.txt", "sigstore-python/assets/staging-rekor-v2.txt.sigstore.json",
     "staging", "jku@goto.fi", "https://github.com/login/oauth"},
    {"sigstore-rust/bundles/signed-package-2.1.0-hb0f4dca_0.conda", "sigstore-rust/bundles/conda-attestation.sigstore.json",
     "production", "https://github.com/prefix-dev/sigstore-example/.github/workflows/action.yaml@refs/heads/main",
     "https://token.actions.githubusercontent.com"},
    {"sigstore-rust/bundles/signed-package-2.1.0-hb0f4dca_0.conda",
     "sigstore-rust/bundles/conda-attestation-rekor2.sigstore.json", "staging", "jku@goto.fi",
     "https://github.com/login/oauth"},
    {"sigstore-rust/bundles/cosign-v3-blob.txt", "sigstore-rust/bundles/cosign-v3-blob.sigstore.json", "production",
     "w.vollprecht@gmail.com", "https://github.com/login/oauth"},
    {"pypi-attestations/pypi_attestation_models-0.0.4a2.tar.gz",
     "pypi-attestations/pypi_attestation_models-0.0.4a2.tar.gz.sigstore", "production",
     "https://github.com/trailofbits/pypi-attestation-models/.github/workflows/release.yml@refs/tags/v0.0.4a2",
     "https://token.actions.githubusercontent.com"},
    {"pypi-attestations/rfc8785-0.1.2-py3-none-any.whl", "pypi-attestations/rfc8785-0.1.2-py3-none-any.whl.sigstore",
     "staging", "william@yossarian.net", "https://github.com/login/oauth"},
};

TEST(SigstoreVectors, EveryValidBundleVerifies) {
  MOAT_REQUIRE_SHARED_DATA();
  for (const Vector& vector : kValid) {
    auto verified = verify_text(data_file(vector.bundle), artifact_from_bytes(data_file(vector.artifact)),
                                root_named(vector.root), identity_is(vector.identity, vector.issuer));
    ASSERT_TRUE(verified.has_value()) << vector.bundle << ": " << verified.error().to_string();
    ASSERT_TRUE(verified->identity.has_value());
    EXPECT_EQ(verified->identity->san, vector.identity);
    EXPECT_FALSE(verified->signing_times.empty());
  }
}

TEST(SigstoreVectors, ValidBundlesFailAgainstTheOtherInstance) {
  MOAT_REQUIRE_SHARED_DATA();
  for (const Vector& vector : kValid) {
    const std::string other = std::string(vector.root) == "staging" ? "production" : "staging";
    auto verified = verify_text(data_file(vector.bundle), artifact_from_bytes(data_file(vector.artifact)),
                                root_named(other), identity_is(vector.identity, vector.issuer));
    ASSERT_FALSE(verified.has_value()) << vector.bundle;
  }
}

TEST(SigstoreVectors, CPythonReleaseVerifiesByDigest) {
  MOAT_REQUIRE_SHARED_DATA();
  auto verified = verify_text(data_file("sigstore-python/assets/integration/Python-3.12.5.tgz.sigstore"),
                              digest_artifact("38dc4e2c261d49c661196066edbfb70fdb16be4a79cc8220c224dfeb5636d405"),
                              production_trusted_root(), identity_is("thomas@python.org", "https://accounts.google.com"));
  ASSERT_TRUE(verified.has_value()) << verified.error().to_string();
}

TEST(SigstoreVectors, ManagedKeyNeedsTheRightKey) {
  MOAT_REQUIRE_SHARED_DATA();
  auto bundle = parse_bundle(data_file("sigstore-rust/managed-key/bundle.sigstore.json"));
  ASSERT_TRUE(bundle.has_value());
  const Artifact artifact = artifact_from_bytes(data_file("sigstore-rust/managed-key/artifact.txt"));
  Policy policy;
  auto without_key = verify_bundle(*bundle, artifact, production_trusted_root(), policy);
  ASSERT_FALSE(without_key.has_value());
  EXPECT_EQ(without_key.error().subject, "public key");
  policy.key = *parse_public_key(data_file("sigstore-rust/managed-key/key.pub"));
  auto verified = verify_bundle(*bundle, artifact, production_trusted_root(), policy);
  ASSERT_TRUE(verified.has_value()) << verified.error().to_string();
  EXPECT_FALSE(verified->identity.has_value());
  // Another key (the Rekor key of the root) must not verify it.
  policy.key = production_trusted_root().tlogs.front().key;
  EXPECT_FALSE(verify_bundle(*bundle, artifact, production_trusted_root(), policy).has_value());
}

struct Invalid {
  const char* bundle;
  const char* artifact;
  const char* root;
  const char* failing_check;
};

constexpr Invalid kInvalid[] = {
    {"sigstore-python/assets/bundle_cve_2022_36056.txt.sigstore", "sigstore-python/assets/bundle_cve_2022_36056.txt",
     "staging", "log entry"},
    {"sigstore-python/assets/bundle_invalid_version.txt.sigstore", "sigstore-python/assets/bundle_invalid_version.txt",
     "staging", "bundle"},
    {"sigstore-python/assets/bundle_no_cert_v1.txt.sigstore", "sigstore-python/assets/bundle_no_cert_v1.txt", "staging",
     "bundle"},
    {"sigstore-python/assets/bundle_no_checkpoint.txt.sigstore", "sigstore-python/assets/bundle_no_checkpoint.txt",
     "staging", "transparency log"},
    {"sigstore-python/assets/bundle_no_log_entry.txt.sigstore", "sigstore-python/assets/bundle_no_log_entry.txt",
     "staging", "transparency log"},
    {"sigstore-python/assets/bundle_v3_no_signed_time.txt.sigstore.json",
     "sigstore-python/assets/bundle_v3_no_signed_time.txt", "staging", "signing time"},
    {"sigstore-rust/bundles/dsse-2sigs.sigstore.json", "sigstore-rust/bundles/cosign-v3-blob.txt", "production", "dsse"},
};

TEST(SigstoreVectors, EveryInvalidBundleFailsForItsReason) {
  MOAT_REQUIRE_SHARED_DATA();
  for (const Invalid& vector : kInvalid) {
    auto verified = verify_text(data_file(vector.bundle), artifact_from_bytes(data_file(vector.artifact)),
                                root_named(vector.root), identity_is("a@tny.town", "https://github.com/login/oauth"));
    ASSERT_FALSE(verified.has_value()) << vector.bundle;
    EXPECT_EQ(verified.error().subject, vector.failing_check) << vector.bundle << ": " << verified.error().to_string();
  }
}

TEST(SigstoreVectors, CtKeyMismatchFailsAtTheSct) {
  MOAT_REQUIRE_SHARED_DATA();
  auto root = parse_trusted_root(data_file("sigstore-rust/invalid-ct-key_fail/trusted_root.json"));
  ASSERT_TRUE(root.has_value()) << root.error().to_string();
  auto verified = verify_text(data_file("sigstore-rust/invalid-ct-key_fail/bundle.sigstore.json"),
                              digest_artifact("a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf"), *root,
                              identity_is("x", "y"));
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().subject, "sct") << verified.error().to_string();
}

TEST(SigstoreVectors, TimestampImprintMismatchFails) {
  MOAT_REQUIRE_SHARED_DATA();
  auto verified = verify_text(data_file("sigstore-rust/timestamps/payload_mismatch_bundle.json"),
                              digest_artifact("a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf"),
                              staging_trusted_root(), identity_is("x", "y"));
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().subject, "timestamp") << verified.error().to_string();
}

// Tampered copies of the production GitHub hashedrekord bundle.
class Tampered : public ::testing::Test {
 protected:
  void SetUp() override {
    MOAT_REQUIRE_SHARED_DATA();
    bundle = json::parse(data_file("sigstore-python/assets/bundle_v3_github.whl.sigstore"));
    artifact = data_file("sigstore-python/assets/bundle_v3_github.whl");
  }

  static void flip_base64(json& field, std::size_t byte = 10) {
    std::string bytes = *base64_decode(field.get<std::string>());
    bytes[byte % bytes.size()] = static_cast<char>(bytes[byte % bytes.size()] ^ 0x01);
    field = base64_encode(bytes);
  }

  [[nodiscard]] std::string failing_check(const IdentityCheck& identity = identity_is(
                                              "https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2",
                                              "https://token.actions.githubusercontent.com")) const {
    auto verified = verify_text(bundle.dump(), artifact_from_bytes(artifact), production_trusted_root(), identity);
    return verified ? std::string("verified") : verified.error().subject;
  }

  json bundle;
  std::string artifact;
};

TEST_F(Tampered, UntouchedCopyVerifies) { EXPECT_EQ(failing_check(), "verified"); }

TEST_F(Tampered, FlippedArtifactByte) {
  artifact[100] = static_cast<char>(artifact[100] ^ 0x01);
  EXPECT_EQ(failing_check(), "artifact");
  bundle["messageSignature"].erase("messageDigest");  // the digest is only a hint: the signature must catch it
  EXPECT_EQ(failing_check(), "signature");
}

TEST_F(Tampered, FlippedSignatureByte) {
  flip_base64(bundle["messageSignature"]["signature"], 20);
  EXPECT_EQ(failing_check(), "signature");
}

TEST_F(Tampered, FlippedInclusionProofHash) {
  flip_base64(bundle["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]["hashes"][3]);
  EXPECT_EQ(failing_check(), "inclusion proof");
}

TEST_F(Tampered, FlippedRootHash) {
  flip_base64(bundle["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]["rootHash"]);
  EXPECT_EQ(failing_check(), "inclusion proof");
}

TEST_F(Tampered, EditedCheckpoint) {
  auto& envelope = bundle["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]["checkpoint"]["envelope"];
  std::string text = envelope.get<std::string>();
  text.insert(text.find("\n\n"), "\nextra line");
  envelope = text;
  EXPECT_EQ(failing_check(), "checkpoint");
}

TEST_F(Tampered, FlippedSignedEntryTimestamp) {
  flip_base64(bundle["verificationMaterial"]["tlogEntries"][0]["inclusionPromise"]["signedEntryTimestamp"], 40);
  EXPECT_EQ(failing_check(), "signed entry timestamp");
}

TEST_F(Tampered, ShiftedIntegratedTime) {
  bundle["verificationMaterial"]["tlogEntries"][0]["integratedTime"] = "1710888077";
  EXPECT_EQ(failing_check(), "signed entry timestamp");
}

TEST_F(Tampered, FlippedCertificateByte) {
  flip_base64(bundle["verificationMaterial"]["x509CertificateChain"]["certificates"][0]["rawBytes"], 300);
  EXPECT_NE(failing_check(), "verified");
}

TEST_F(Tampered, OtherIdentityOrIssuer) {
  EXPECT_EQ(failing_check(identity_is("https://github.com/evil/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2",
                                      "https://token.actions.githubusercontent.com")),
            "identity");
  EXPECT_EQ(failing_check(identity_is("https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2",
                                      "https://accounts.google.com")),
            "identity");
}

TEST_F(Tampered, UnknownMediaType) {
  bundle["mediaType"] = "application/vnd.dev.sigstore.bundle+json;version=0.9";
  EXPECT_EQ(failing_check(), "bundle");
}

// The vectors are what MANIFEST.md says they are (sha256 of every listed file).
TEST(SigstoreVectors, FilesMatchTheirManifest) {
  MOAT_REQUIRE_SHARED_DATA();
  const std::string manifest = data_file("MANIFEST.md");
  int checked = 0;
  std::size_t position = 0;
  while ((position = manifest.find("\n| ", position)) != std::string::npos) {
    const std::size_t end = manifest.find('\n', position + 1);
    const std::string row = manifest.substr(position + 3, end - position - 3);
    position = end;
    std::vector<std::string> cells;
    for (std::size_t start = 0, bar; (bar = row.find(" | ", start)) != std::string::npos; start = bar + 3)
      cells.push_back(row.substr(start, bar - start));
    if (cells.size() < 3 || cells[2].size() != 64 || cells[0].find('/') == std::string::npos) continue;
    const std::string content = data_file(cells[0]);
    EXPECT_EQ(hex_encode(as_bytes(sha256(content))), cells[2]) << cells[0];
    ++checked;
  }
  EXPECT_GT(checked, 100);
}

TEST(SigstoreTime, ASigningTimeAfterNowIsRejected) {
  MOAT_REQUIRE_SHARED_DATA();
  auto bundle = parse_bundle(data_file("sigstore-python/assets/bundle_v3_github.whl.sigstore"));
  ASSERT_TRUE(bundle.has_value());
  Policy policy;
  policy.identity = [](const CertificateIdentity&) -> moat::Result<void> { return {}; };
  policy.now = 1710888076 - 3600;
  auto verified = verify_bundle(*bundle, artifact_from_bytes(data_file("sigstore-python/assets/bundle_v3_github.whl")),
                                production_trusted_root(), policy);
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().subject, "signing time");
}

TEST(TrustedRoots, EmbeddedRootsParse) {
  auto production = parse_trusted_root(embedded_production_trusted_root_json());
  ASSERT_TRUE(production.has_value()) << production.error().to_string();
  EXPECT_EQ(production->sha256_hex, "6494e21ea73fa7ee769f85f57d5a3e6a08725eae1e38c755fc3517c9e6bc0b66");
  EXPECT_EQ(production->tlogs.size(), 2U);
  EXPECT_EQ(production->certificate_authorities.size(), 2U);
  EXPECT_EQ(production->timestamp_authorities.size(), 1U);
  auto staging = parse_trusted_root(embedded_staging_trusted_root_json());
  ASSERT_TRUE(staging.has_value()) << staging.error().to_string();
  EXPECT_EQ(staging->sha256_hex, "81f5af777952d2c3955062ad56924c05ca916b5d49f3a0bce945faa475a8b1cc");
}

TEST(TrustedRoots, MalformedRootsAreRejectedNotThrown) {
  EXPECT_FALSE(parse_trusted_root("{").has_value());
  EXPECT_FALSE(parse_trusted_root(R"({"mediaType":"nope"})").has_value());
  EXPECT_FALSE(parse_trusted_root(R"({"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1",
                                     "tlogs":[{"publicKey":"str"}]})")
                   .has_value());
  EXPECT_FALSE(parse_trusted_root(R"({"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1",
                                     "tlogs":[7]})")
                   .has_value());
}

TEST(TrustedRoots, SharedNegativeVectorsAreRejected) {
  MOAT_REQUIRE_SHARED_DATA();
  for (const char* path : {"sigstore-python/assets/trusted_root/trustedroot.badtype.json",
                           "sigstore-python/assets/trusted_root/certificate_authority.empty.json"})
    EXPECT_FALSE(parse_trusted_root(data_file(path)).has_value()) << path;
  EXPECT_TRUE(parse_trusted_root(data_file("sigstore-python/assets/trusted_root/trustedroot.v1.json")).has_value());
}

TEST(Bundles, HostileJsonIsAnErrorNotACrash) {
  for (const char* text : {"[]", "{}", R"({"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"})",
                           R"({"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":5})",
                           R"({"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json",
                               "verificationMaterial":{"certificate":"x"},"dsseEnvelope":[]})",
                           R"({"mediaType":"application/vnd.dev.sigstore.bundle+json;version=0.2",
                               "verificationMaterial":{"x509CertificateChain":{"certificates":[{"rawBytes":"AAAA"}]}}})"})
    EXPECT_FALSE(parse_bundle(text).has_value()) << text;
}

TEST(Merkle, RecomputesSmallTrees) {
  auto leaf = [](char value) {
    return std::string(as_bytes(sha256(std::string(1, '\0') + std::string(1, value))));
  };
  auto node = [](const std::string& left, const std::string& right) {
    return std::string(as_bytes(sha256("\x01" + left + right)));
  };
  // Tree of 3 leaves: root = H(H(a,b), c).
  const std::string a = leaf('a'), b = leaf('b'), c = leaf('c');
  const std::string root = node(node(a, b), c);
  EXPECT_EQ(*merkle_root_from_proof(a, 0, 3, {b, c}), root);
  EXPECT_EQ(*merkle_root_from_proof(b, 1, 3, {a, c}), root);
  EXPECT_EQ(*merkle_root_from_proof(c, 2, 3, {node(a, b)}), root);
  EXPECT_FALSE(merkle_root_from_proof(c, 2, 3, {a, b}).has_value());
  EXPECT_FALSE(merkle_root_from_proof(c, 3, 3, {}).has_value());
  EXPECT_EQ(*merkle_root_from_proof(a, 0, 1, {}), a);
}

}  // namespace
