#include "moat/sign/certificate.hpp"

#include <openssl/ct.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <memory>

namespace moat::sign {

namespace {

constexpr const char* kFulcioArc = "1.3.6.1.4.1.57264.1.";
constexpr int kOtherNameSanExtension = 7;
constexpr int kFirstDerEncodedExtension = 8;
constexpr int kLastKnownExtension = 23;

std::string asn1_string(const ASN1_STRING* value) {
  return {reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)), static_cast<std::size_t>(ASN1_STRING_length(value))};
}

struct StoreFree {
  void operator()(X509_STORE* store) const { X509_STORE_free(store); }
};
struct StoreCtxFree {
  void operator()(X509_STORE_CTX* context) const { X509_STORE_CTX_free(context); }
};
struct StackFree {
  void operator()(STACK_OF(X509) * stack) const { sk_X509_free(stack); }
};

bool time_in_certificate(X509* cert, std::int64_t time) {
  auto when = static_cast<time_t>(time);
  return X509_cmp_time(X509_get0_notBefore(cert), &when) <= 0 && X509_cmp_time(X509_get0_notAfter(cert), &when) >= 0;
}

}  // namespace

std::string CertificateIdentity::extension(int number) const {
  auto found = fulcio.find(number);
  return found == fulcio.end() ? std::string() : found->second;
}

CertificateIdentity certificate_identity(X509* cert) {
  CertificateIdentity identity;
  for (int number = 1; number <= kLastKnownExtension; ++number) {
    if (number == kOtherNameSanExtension) continue;
    const std::string oid = kFulcioArc + std::to_string(number);
    ASN1_OBJECT* object = OBJ_txt2obj(oid.c_str(), 1);
    const int position = X509_get_ext_by_OBJ(cert, object, -1);
    ASN1_OBJECT_free(object);
    if (position < 0) continue;
    const ASN1_OCTET_STRING* data = X509_EXTENSION_get_data(X509_get_ext(cert, position));
    std::string value = asn1_string(data);
    if (number >= kFirstDerEncodedExtension) {
      const auto* cursor = ASN1_STRING_get0_data(data);
      ASN1_UTF8STRING* text = d2i_ASN1_UTF8STRING(nullptr, &cursor, ASN1_STRING_length(data));
      if (text == nullptr) {
        ERR_clear_error();
        continue;  // malformed: treated as absent, so no policy can match it
      }
      value = asn1_string(text);
      ASN1_UTF8STRING_free(text);
    }
    identity.fulcio[number] = std::move(value);
  }
  identity.issuer = identity.extension(8).empty() ? identity.extension(1) : identity.extension(8);

  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int index = 0; names != nullptr && index < sk_GENERAL_NAME_num(names) && identity.san.empty(); ++index) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, index);
    if (name->type == GEN_URI || name->type == GEN_EMAIL) {
      identity.san = asn1_string(name->d.ia5);
    } else if (name->type == GEN_OTHERNAME) {
      char oid[80];
      OBJ_obj2txt(oid, sizeof oid, name->d.otherName->type_id, 1);
      const ASN1_TYPE* value = name->d.otherName->value;
      if (std::string(oid) == std::string(kFulcioArc) + "7" && value->type == V_ASN1_UTF8STRING)
        identity.san = asn1_string(value->value.utf8string);
    }
  }
  GENERAL_NAMES_free(names);
  return identity;
}

Result<Certificate> validate_chain(X509* leaf, const TrustedRoot& root, std::int64_t time) {
  if (X509_check_ca(leaf) != 0) return fail("certificate", "the signing certificate is a CA certificate");
  if (!time_in_certificate(leaf, time))
    return fail("certificate", "signing time " + format_utc(time) + " is outside the certificate's validity");
  if ((X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE) == 0)
    return fail("certificate", "key usage lacks digitalSignature");
  if ((X509_get_extension_flags(leaf) & EXFLAG_XKUSAGE) == 0 || (X509_get_extended_key_usage(leaf) & XKU_CODE_SIGN) == 0)
    return fail("certificate", "extended key usage lacks codeSigning");

  std::string last_error = "no Fulcio CA in the trusted root is valid at " + format_utc(time);
  for (const CertificateAuthority& authority : root.certificate_authorities) {
    if (!authority.validity.contains(time)) continue;
    std::unique_ptr<X509_STORE, StoreFree> store(X509_STORE_new());
    X509_STORE_add_cert(store.get(), authority.chain.back().get());
    std::unique_ptr<STACK_OF(X509), StackFree> untrusted(sk_X509_new_null());
    for (std::size_t index = 0; index + 1 < authority.chain.size(); ++index)
      sk_X509_push(untrusted.get(), authority.chain[index].get());
    std::unique_ptr<X509_STORE_CTX, StoreCtxFree> context(X509_STORE_CTX_new());
    if (X509_STORE_CTX_init(context.get(), store.get(), leaf, untrusted.get()) != 1)
      return fail("certificate", openssl_error());
    X509_VERIFY_PARAM* parameters = X509_STORE_CTX_get0_param(context.get());
    X509_VERIFY_PARAM_set_time(parameters, static_cast<time_t>(time));
    if (X509_verify_cert(context.get()) == 1) {
      STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(context.get());
      for (int index = 0; index < sk_X509_num(chain); ++index)
        if (!time_in_certificate(sk_X509_value(chain, index), time))
          return fail("certificate", "a CA certificate is not valid at the signing time");
      if (sk_X509_num(chain) < 2) return fail("certificate", "chain has no issuer");
      X509* issuer = sk_X509_value(chain, 1);
      X509_up_ref(issuer);
      ERR_clear_error();
      return Certificate(issuer, X509Free{});
    }
    last_error = std::string("chain to the Fulcio CA does not verify at ") + format_utc(time) + ": " +
                 X509_verify_cert_error_string(X509_STORE_CTX_get_error(context.get()));
    ERR_clear_error();
  }
  return fail("certificate", last_error);
}

Result<void> verify_sct(X509* leaf, X509* issuer, const TrustedRoot& root) {
  auto* scts = static_cast<STACK_OF(SCT)*>(X509_get_ext_d2i(leaf, NID_ct_precert_scts, nullptr, nullptr));
  if (scts == nullptr) return fail("sct", "the certificate has no embedded SCT");
  std::unique_ptr<STACK_OF(SCT), decltype(&SCT_LIST_free)> owned(scts, &SCT_LIST_free);

  // RFC 6962 precert entry: the leaf's TBSCertificate without the SCT list extension.
  std::unique_ptr<X509, X509Free> precert(X509_dup(leaf));
  const int position = X509_get_ext_by_NID(precert.get(), NID_ct_precert_scts, -1);
  X509_EXTENSION_free(X509_delete_ext(precert.get(), position));
  unsigned char* tbs = nullptr;
  const int tbs_length = i2d_re_X509_tbs(precert.get(), &tbs);
  if (tbs_length <= 0) return fail("sct", "cannot re-encode the precertificate");
  const std::string tbs_der(reinterpret_cast<char*>(tbs), static_cast<std::size_t>(tbs_length));
  OPENSSL_free(tbs);
  unsigned char* issuer_key = nullptr;
  const int issuer_key_length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(issuer), &issuer_key);
  const Sha256 issuer_key_hash = sha256({reinterpret_cast<char*>(issuer_key), static_cast<std::size_t>(issuer_key_length)});
  OPENSSL_free(issuer_key);

  int verified = 0;
  for (int index = 0; index < sk_SCT_num(scts); ++index) {
    const SCT* sct = sk_SCT_value(scts, index);
    unsigned char* log_id = nullptr;
    const std::size_t log_id_length = SCT_get0_log_id(sct, &log_id);
    const TransparencyLog* log = root.find_ctlog({reinterpret_cast<char*>(log_id), log_id_length});
    if (log == nullptr) continue;
    std::string signed_data;
    auto put = [&signed_data](std::uint64_t value, int bytes) {
      for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) signed_data.push_back(static_cast<char>((value >> shift) & 0xFF));
    };
    put(static_cast<std::uint64_t>(SCT_get_version(sct)), 1);
    put(0, 1);  // signature_type = certificate_timestamp
    put(SCT_get_timestamp(sct), 8);
    put(1, 2);  // entry_type = precert_entry
    signed_data.append(as_bytes(issuer_key_hash));
    put(tbs_der.size(), 3);
    signed_data.append(tbs_der);
    unsigned char* extensions = nullptr;
    const std::size_t extensions_length = SCT_get0_extensions(sct, &extensions);
    put(extensions_length, 2);
    signed_data.append(reinterpret_cast<char*>(extensions), extensions_length);
    unsigned char* signature = nullptr;
    const std::size_t signature_length = SCT_get0_signature(sct, &signature);
    const bool edwards = EVP_PKEY_get_base_id(log->key.get()) == EVP_PKEY_ED25519;
    if (!verify_message(log->key.get(), signed_data, {reinterpret_cast<char*>(signature), signature_length},
                        edwards ? nullptr : EVP_sha256()))
      return fail("sct", "the SCT signature from CT log " + log->base_url + " does not verify");
    const auto sct_seconds = static_cast<std::int64_t>(SCT_get_timestamp(sct) / 1000);
    if (!log->validity.contains(sct_seconds))
      return fail("sct", "the SCT time is outside CT log " + log->base_url + "'s validity");
    ++verified;
  }
  if (verified == 0) return fail("sct", "no SCT from a CT log in the trusted root");
  return {};
}

}  // namespace moat::sign
