#include "errors.hpp"

#include <new>

#include "addon.hpp"
#include "sgmm/error.hpp"

namespace sgmm_node {
namespace {

enum class ErrorClass { Error, TypeError, RangeError };

napi_value make_error(napi_env env, ErrorClass error_class, const char* code,
                      const std::string& message) {
  napi_value js_message = nullptr;
  napi_value js_code = nullptr;
  napi_value error = nullptr;
  napi_create_string_utf8(env, message.data(), message.size(), &js_message);
  napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &js_code);
  switch (error_class) {
    case ErrorClass::Error:
      napi_create_error(env, js_code, js_message, &error);
      break;
    case ErrorClass::TypeError:
      napi_create_type_error(env, js_code, js_message, &error);
      break;
    case ErrorClass::RangeError:
      napi_create_range_error(env, js_code, js_message, &error);
      break;
  }
  return error;
}

}  // namespace

void throw_type_error(const std::string& message) {
  throw ArgumentError(ArgumentError::Kind::Type, message);
}

void throw_range_error(const std::string& message) {
  throw ArgumentError(ArgumentError::Kind::Range, message);
}

napi_value js_error_from_current_exception(napi_env env) {
  // Most derived classes first: the sgmm family derives from sgmm::Error,
  // which derives from std::exception.
  try {
    throw;
  } catch (const Napi::Error& error) {
    return error.Value();
  } catch (const ArgumentError& error) {
    return error.kind() == ArgumentError::Kind::Type
               ? make_error(env, ErrorClass::TypeError, "SGMM_INVALID_ARG_TYPE", error.what())
               : make_error(env, ErrorClass::RangeError, "SGMM_INVALID_ARG_VALUE", error.what());
  } catch (const sgmm::ShapeError& error) {
    return make_error(env, ErrorClass::RangeError, "SGMM_SHAPE_ERROR", error.what());
  } catch (const sgmm::ValueError& error) {
    return make_error(env, ErrorClass::RangeError, "SGMM_VALUE_ERROR", error.what());
  } catch (const sgmm::DTypeError& error) {
    return make_error(env, ErrorClass::TypeError, "SGMM_DTYPE_ERROR", error.what());
  } catch (const sgmm::DeviceError& error) {
    return make_error(env, ErrorClass::Error, "SGMM_DEVICE_ERROR", error.what());
  } catch (const sgmm::Error& error) {
    return make_error(env, ErrorClass::Error, "SGMM_ERROR", error.what());
  } catch (const std::bad_alloc&) {
    return make_error(env, ErrorClass::RangeError, "SGMM_OUT_OF_MEMORY",
                      "sgmm: out of memory: the tensor does not fit in memory");
  } catch (const std::exception& error) {
    return make_error(env, ErrorClass::Error, "SGMM_INTERNAL_ERROR",
                      std::string("sgmm: internal error: ") + error.what());
  } catch (...) {
    return make_error(env, ErrorClass::Error, "SGMM_INTERNAL_ERROR",
                      "sgmm: internal error: unknown C++ exception");
  }
}

napi_value js_error_from_exception(napi_env env, const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (...) {
    return js_error_from_current_exception(env);
  }
}

napi_value fail_with_current_exception(napi_env env) {
  napi_value error = js_error_from_current_exception(env);
  AddonData& data = addon_data(env);
  // A reference, not a property store: storing a property needs a clear
  // exception state, and this runs on every failure path.
  if (data.pending_error != nullptr) napi_delete_reference(env, data.pending_error);
  data.pending_error = nullptr;
  napi_create_reference(env, error, 1, &data.pending_error);
  return data.failure_sentinel.Value();
}

napi_value take_pending_error(napi_env env) {
  AddonData& data = addon_data(env);
  napi_value error = nullptr;
  if (data.pending_error == nullptr ||
      napi_get_reference_value(env, data.pending_error, &error) != napi_ok || error == nullptr) {
    napi_get_undefined(env, &error);
  }
  if (data.pending_error != nullptr) napi_delete_reference(env, data.pending_error);
  data.pending_error = nullptr;
  return error;
}

}  // namespace sgmm_node
