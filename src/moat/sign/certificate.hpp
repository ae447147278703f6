#pragma once
// Fulcio certificates: path validation at a signing time, embedded SCTs, and the identity a
// certificate carries (SAN and the 1.3.6.1.4.1.57264.1.* extensions).
#include <cstdint>
#include <map>
#include <string>

#include "moat/sign/crypto.hpp"
#include "moat/sign/trusted_root.hpp"
#include "moat/util/error.hpp"

namespace moat::sign {

/// Who a Fulcio certificate says signed.
struct CertificateIdentity {
  std::string san;     // the one URI, email or OtherName SAN
  std::string issuer;  // 57264.1.8, falling back to 57264.1.1
  std::map<int, std::string> fulcio;  // 57264.1.N -> value (raw for 1-6, UTF8String for 8 and later)

  /// The value of 57264.1.N, or "" when absent.
  [[nodiscard]] std::string extension(int number) const;
};

CertificateIdentity certificate_identity(X509* cert);

/// Validates leaf -> a Fulcio CA of the trusted root valid at `time`, leaf validity at `time`,
/// key usage digitalSignature and EKU codeSigning. Returns the certificate that issued the leaf.
Result<Certificate> validate_chain(X509* leaf, const TrustedRoot& root, std::int64_t time);

/// Verifies the embedded SCT(s) of the leaf against the trusted root's CT logs.
Result<void> verify_sct(X509* leaf, X509* issuer, const TrustedRoot& root);

}  // namespace moat::sign
