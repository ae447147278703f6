#include "moat/sign/attestation.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "moat/sign/distribution_name.hpp"

namespace moat::sign {

namespace {

using nlohmann::json;

constexpr std::string_view kGitHubIssuer = "https://token.actions.githubusercontent.com";
constexpr std::string_view kGitLabIssuer = "https://gitlab.com";
constexpr std::string_view kGoogleIssuer = "https://accounts.google.com";
constexpr std::string_view kStatementType = "https://in-toto.io/Statement/v1";

// Fulcio extension numbers under 1.3.6.1.4.1.57264.1.
constexpr int kSourceRepositoryUri = 12;
constexpr int kSourceRepositoryDigest = 13;
constexpr int kSourceRepositoryRef = 14;
constexpr int kBuildConfigUri = 18;

Result<void> expect(const CertificateIdentity& identity, int extension, const std::string& expected, const char* name) {
  const std::string actual = identity.extension(extension);
  if (actual != expected)
    return fail("identity", std::string("the certificate's ") + name + " is '" + actual + "', expected '" + expected + "'");
  return {};
}

/// GitHub and GitLab: source repository, and the build config (workflow) pinned to the signed ref or commit.
Result<void> check_ci_publisher(const CertificateIdentity& identity, const Publisher& publisher, std::string_view host,
                                std::string_view workflow_separator) {
  const std::string repository_uri = "https://" + std::string(host) + "/" + publisher.repository;
  if (auto repository = expect(identity, kSourceRepositoryUri, repository_uri, "source repository"); !repository)
    return repository;
  const std::string digest = identity.extension(kSourceRepositoryDigest);
  const std::string ref = identity.extension(kSourceRepositoryRef);
  if (digest.empty() && ref.empty()) return fail("identity", "the certificate has no source repository digest or ref");
  const std::string build_config = identity.extension(kBuildConfigUri);
  const std::string workflow_prefix = repository_uri + std::string(workflow_separator);
  if (publisher.workflow.empty()) {
    if (!build_config.starts_with(workflow_prefix))
      return fail("identity", "the certificate's build config '" + build_config + "' is not a workflow of " +
                                  publisher.repository);
    return {};
  }
  const std::string expected = workflow_prefix + publisher.workflow + "@";
  if ((!digest.empty() && build_config == expected + digest) || (!ref.empty() && build_config == expected + ref))
    return {};
  return fail("identity", "the certificate's build config '" + build_config + "' is not workflow '" +
                              publisher.workflow + "' of " + publisher.repository);
}

std::string text(const json& object, const char* key) {
  if (!object.is_object()) return {};
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

}  // namespace

std::string Publisher::describe() const {
  switch (kind) {
    case Kind::GitHub: return "GitHub " + repository + (workflow.empty() ? "" : " workflow " + workflow);
    case Kind::GitLab: return "GitLab " + repository + (workflow.empty() ? "" : " workflow " + workflow);
    case Kind::Google: return "Google " + email;
  }
  return {};
}

Result<Publisher> parse_publisher_spec(std::string_view spec) {
  const std::size_t colon = spec.find(':');
  if (colon == std::string_view::npos) return fail(std::string(spec), "publisher must be KIND:VALUE");
  const std::string kind(spec.substr(0, colon));
  std::string value(spec.substr(colon + 1));
  Publisher publisher;
  if (kind == "google") {
    if (value.find('@') == std::string::npos) return fail(std::string(spec), "google:EMAIL needs an email address");
    publisher.kind = Publisher::Kind::Google;
    publisher.email = value;
    return publisher;
  }
  if (kind == "activestate")
    return fail(std::string(spec), "ActiveState publishers have no attestation identity, so they cannot carry attestations");
  if (kind != "github" && kind != "gitlab")
    return fail(std::string(spec), "unknown publisher kind '" + kind + "' (github, gitlab, google)");
  publisher.kind = kind == "github" ? Publisher::Kind::GitHub : Publisher::Kind::GitLab;
  if (const std::size_t double_slash = value.find("//"); double_slash != std::string::npos) {
    publisher.workflow = value.substr(double_slash + 2);
    value.resize(double_slash);
  } else if (const std::size_t slash = value.rfind('/');
             slash != std::string::npos && (value.ends_with(".yml") || value.ends_with(".yaml")) &&
             std::count(value.begin(), value.end(), '/') >= 2) {
    publisher.workflow = value.substr(slash + 1);
    value.resize(slash);
  }
  if (value.find('/') == std::string::npos || value.starts_with('/') || value.ends_with('/'))
    return fail(std::string(spec), "the repository must be OWNER/REPO");
  if (publisher.kind == Publisher::Kind::GitHub && std::count(value.begin(), value.end(), '/') != 1)
    return fail(std::string(spec), "a GitHub repository is OWNER/REPO");
  publisher.repository = value;
  return publisher;
}

IdentityCheck publisher_policy(const Publisher& publisher) {
  return [publisher](const CertificateIdentity& identity) -> Result<void> {
    switch (publisher.kind) {
      case Publisher::Kind::GitHub:
        if (identity.issuer != kGitHubIssuer)
          return fail("identity", "the certificate's issuer '" + identity.issuer + "' is not GitHub Actions");
        return check_ci_publisher(identity, publisher, "github.com", "/.github/workflows/");
      case Publisher::Kind::GitLab:
        if (identity.issuer != kGitLabIssuer)
          return fail("identity", "the certificate's issuer '" + identity.issuer + "' is not GitLab");
        return check_ci_publisher(identity, publisher, "gitlab.com", "//");
      case Publisher::Kind::Google:
        if (identity.issuer != kGoogleIssuer)
          return fail("identity", "the certificate's issuer '" + identity.issuer + "' is not Google");
        if (identity.san != publisher.email)
          return fail("identity", "the certificate's identity '" + identity.san + "' is not '" + publisher.email + "'");
        return {};
    }
    return fail("identity", "unknown publisher kind");
  };
}

static Result<Bundle> attestation_to_bundle_unchecked(std::string_view attestation_json) {
  const json attestation = json::parse(attestation_json, nullptr, false);
  if (attestation.is_discarded() || !attestation.is_object()) return fail("attestation", "not a JSON object");
  if (!attestation.contains("version") || attestation["version"] != 1)
    return fail("attestation", "unsupported attestation version (expected 1)");
  const json& material = attestation.value("verification_material", json::object());
  const json& envelope = attestation.value("envelope", json::object());
  if (!material.is_object() || !envelope.is_object()) return fail("attestation", "missing verification_material or envelope");
  const json& entries = material.value("transparency_entries", json::array());
  if (!entries.is_array() || entries.empty())
    return fail("attestation", "missing verification_material, transparency_entries or envelope");
  // The reference verifier uses only the first transparency entry.
  const json bundle = {
      {"mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json"},
      {"verificationMaterial",
       {{"certificate", {{"rawBytes", text(material, "certificate")}}}, {"tlogEntries", json::array({entries[0]})}}},
      {"dsseEnvelope",
       {{"payload", text(envelope, "statement")},
        {"payloadType", "application/vnd.in-toto+json"},
        {"signatures", json::array({{{"sig", text(envelope, "signature")}}})}}}};
  auto parsed = parse_bundle(bundle.dump());
  if (!parsed) return fail("attestation", parsed.error().message);
  return parsed;
}

Result<VerifiedAttestation> verify_attestation(std::string_view attestation_json, std::string_view file_name,
                                               const Artifact& artifact, const TrustedRoot& root, const Policy& policy) {
  auto bundle = attestation_to_bundle(attestation_json);
  if (!bundle) return std::unexpected(bundle.error());
  Policy bundle_policy = policy;
  bundle_policy.require_subject_digest = false;  // the stricter PEP 740 subject rules follow
  auto verified = verify_bundle(*bundle, artifact, root, bundle_policy);
  if (!verified) return std::unexpected(verified.error());

  const json statement = json::parse(verified->payload, nullptr, false);
  if (statement.is_discarded() || !statement.is_object()) return fail("statement", "the payload is not JSON");
  if (text(statement, "_type") != kStatementType) return fail("statement", "not an in-toto Statement v1");
  const json& subjects = statement.value("subject", json::array());
  if (!subjects.is_array() || subjects.size() != 1 || !subjects[0].is_object()) return fail("subject", "the statement must have exactly one subject");
  VerifiedAttestation result;
  result.subject_name = text(subjects[0], "name");
  if (result.subject_name.empty()) return fail("subject", "the subject has no name");
  auto subject = parse_distribution_name(result.subject_name);
  if (!subject) return fail("subject", "subject name: " + subject.error().to_string());
  auto distribution = parse_distribution_name(file_name);
  if (!distribution) return fail("subject", "distribution name: " + distribution.error().to_string());
  if (!(*subject == *distribution))
    return fail("subject", "the subject '" + result.subject_name + "' is not the distribution '" + std::string(file_name) + "'");
  std::string subject_digest = text(subjects[0].value("digest", json()), "sha256");
  std::transform(subject_digest.begin(), subject_digest.end(), subject_digest.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (subject_digest != hex_encode(as_bytes(artifact.digest)))
    return fail("subject", "the distribution's sha256 differs from the attested digest " + subject_digest);
  result.predicate_type = text(statement, "predicateType");
  if (result.predicate_type == kPublishPredicate) {
    const json& predicate = statement.value("predicate", json());
    if (!predicate.is_null() && !(predicate.is_object() && predicate.empty()))
      return fail("statement", "a publish/v1 predicate must be empty");
  } else if (result.predicate_type != kSlsaProvenancePredicate) {
    return fail("statement", "unknown predicate type '" + result.predicate_type + "'");
  }
  result.bundle = std::move(*verified);
  return result;
}

static Result<std::vector<ProvenanceBundle>> parse_provenance_unchecked(std::string_view provenance_json) {
  const json provenance = json::parse(provenance_json, nullptr, false);
  if (provenance.is_discarded() || !provenance.is_object()) return fail("provenance", "not a JSON object");
  if (!provenance.contains("version") || provenance["version"] != 1)
    return fail("provenance", "unsupported provenance version (expected 1)");
  const json& bundles = provenance.value("attestation_bundles", json::array());
  if (!bundles.is_array() || bundles.empty()) return fail("provenance", "no attestation_bundles");
  std::vector<ProvenanceBundle> out;
  for (const json& entry : bundles) {
    if (!entry.is_object()) return fail("provenance", "an attestation bundle is not an object");
    ProvenanceBundle bundle;
    const json& publisher = entry.value("publisher", json::object());
    const std::string kind = text(publisher, "kind");
    Publisher parsed;
    if (kind == "GitHub") {
      parsed.kind = Publisher::Kind::GitHub;
      parsed.repository = text(publisher, "repository");
      parsed.workflow = text(publisher, "workflow");
    } else if (kind == "GitLab") {
      parsed.kind = Publisher::Kind::GitLab;
      parsed.repository = text(publisher, "repository");
      parsed.workflow = text(publisher, "workflow_filepath");
    } else if (kind == "Google") {
      parsed.kind = Publisher::Kind::Google;
      parsed.email = text(publisher, "email");
    }
    if (kind == "GitHub" || kind == "GitLab" || kind == "Google") {
      if (parsed.kind == Publisher::Kind::Google ? parsed.email.empty() : parsed.repository.empty())
        return fail("provenance", kind + " publisher without its identity fields");
      bundle.publisher = parsed;
      bundle.publisher_description = parsed.describe();
    } else {
      bundle.publisher_description = kind.empty() ? "unknown publisher" : kind;
    }
    const json& attestations = entry.value("attestations", json::array());
    if (!attestations.is_array()) return fail("provenance", "attestations is not an array");
    for (const json& attestation : attestations) bundle.attestations.push_back(attestation.dump());
    out.push_back(std::move(bundle));
  }
  return out;
}

Result<Bundle> attestation_to_bundle(std::string_view attestation_json) {
  // nlohmann::json throws on type mismatches deep in hostile input; none may escape the library.
  try {
    return attestation_to_bundle_unchecked(attestation_json);
  } catch (const nlohmann::json::exception& error) {
    return fail("attestation", std::string("malformed JSON: ") + error.what());
  }
}

Result<std::vector<ProvenanceBundle>> parse_provenance(std::string_view provenance_json) {
  // nlohmann::json throws on type mismatches deep in hostile input; none may escape the library.
  try {
    return parse_provenance_unchecked(provenance_json);
  } catch (const nlohmann::json::exception& error) {
    return fail("provenance", std::string("malformed JSON: ") + error.what());
  }
}

}  // namespace moat::sign
