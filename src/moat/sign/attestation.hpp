#pragma once
// PEP 740 attestations and PyPI Integrity API provenance objects (trust.md §2): each attestation is
// a Sigstore bundle v0.3 in disguise, checked with the Trusted Publisher's certificate policy, then
// its in-toto statement is bound to the distribution by file name and SHA-256.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moat/sign/bundle.hpp"
#include "moat/sign/verifier.hpp"
#include "moat/util/error.hpp"

namespace moat::sign {

/// A PyPI Trusted Publisher with an attestation identity.
struct Publisher {
  enum class Kind { GitHub, GitLab, Google };
  Kind kind = Kind::GitHub;
  std::string repository;  // GitHub "owner/repo", GitLab "group/sub/project"
  std::string workflow;    // GitHub workflow file name, GitLab workflow_filepath; empty = any
  std::string email;       // Google

  [[nodiscard]] std::string describe() const;
};

/// `github:OWNER/REPO[/WORKFLOW.yml]`, `gitlab:NS/PROJ[/PATH.yml]` (or `NS/PROJ//PATH`), `google:EMAIL`.
Result<Publisher> parse_publisher_spec(std::string_view spec);

/// The certificate policy PyPI applies for this publisher.
IdentityCheck publisher_policy(const Publisher& publisher);

/// Converts a PEP 740 attestation object to the bundle it packages.
Result<Bundle> attestation_to_bundle(std::string_view attestation_json);

struct VerifiedAttestation {
  VerifiedBundle bundle;
  std::string predicate_type;
  std::string subject_name;
};

inline constexpr std::string_view kPublishPredicate = "https://docs.pypi.org/attestations/publish/v1";
inline constexpr std::string_view kSlsaProvenancePredicate = "https://slsa.dev/provenance/v1";

/// Full verification of one attestation against the distribution `file_name` with `artifact`.
Result<VerifiedAttestation> verify_attestation(std::string_view attestation_json, std::string_view file_name,
                                               const Artifact& artifact, const TrustedRoot& root, const Policy& policy);

/// One attestation bundle of a provenance object: who published, and the attestations (JSON text).
struct ProvenanceBundle {
  std::optional<Publisher> publisher;  // empty when the kind has no attestation identity
  std::string publisher_description;
  std::vector<std::string> attestations;
};

/// Parses `application/vnd.pypi.integrity.v1+json` provenance.
Result<std::vector<ProvenanceBundle>> parse_provenance(std::string_view provenance_json);

}  // namespace moat::sign
