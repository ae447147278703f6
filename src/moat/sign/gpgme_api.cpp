#include "moat/sign/gpgme_api.hpp"

#include <cstddef>

#include "moat/util/shared_library.hpp"

namespace moat::sign {

Result<const Gpgme*> load_gpgme() {
  static const Result<Gpgme> loaded = []() -> Result<Gpgme> {
    auto library = SharedLibrary::open(kGpgmeSoname);
    if (!library) return std::unexpected(library.error());
    Gpgme api;
    // gpgme_check_version is a macro over this function, which also checks the struct layout.
    decltype(&gpgme_check_version_internal) check_version = nullptr;
    library->bind(check_version, "gpgme_check_version_internal");
    library->bind(api.new_context, "gpgme_new");
    library->bind(api.release, "gpgme_release");
    library->bind(api.set_protocol, "gpgme_set_protocol");
    library->bind(api.ctx_set_engine_info, "gpgme_ctx_set_engine_info");
    library->bind(api.set_pinentry_mode, "gpgme_set_pinentry_mode");
    library->bind(api.set_armor, "gpgme_set_armor");
    library->bind(api.strerror, "gpgme_strerror");
    library->bind(api.data_new, "gpgme_data_new");
    library->bind(api.data_new_from_mem, "gpgme_data_new_from_mem");
    library->bind(api.data_release, "gpgme_data_release");
    library->bind(api.data_release_and_get_mem, "gpgme_data_release_and_get_mem");
    library->bind(api.free, "gpgme_free");
    library->bind(api.get_key, "gpgme_get_key");
    library->bind(api.key_unref, "gpgme_key_unref");
    library->bind(api.signers_add, "gpgme_signers_add");
    library->bind(api.op_verify, "gpgme_op_verify");
    library->bind(api.op_verify_result, "gpgme_op_verify_result");
    library->bind(api.op_sign, "gpgme_op_sign");
    library->bind(api.op_sign_result, "gpgme_op_sign_result");
    if (auto complete = library->complete("GPGME 1.x, libgpgme11"); !complete) return std::unexpected(complete.error());
    // GPGME must be initialised once before any other call.
    if (check_version(nullptr, offsetof(struct _gpgme_signature, validity)) == nullptr)
      return fail(kGpgmeSoname, "GPGME could not be initialised");
    return api;
  }();
  if (!loaded) return std::unexpected(loaded.error());
  return &*loaded;
}

}  // namespace moat::sign
