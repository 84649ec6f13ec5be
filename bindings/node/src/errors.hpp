#pragma once
// The boundary between C++ exceptions and JavaScript exceptions. Every
// callback the addon exports runs its body through run_guarded, so no C++
// exception can reach Node's callback machinery (where it would terminate the
// process) and every sgmm::Error arrives in JavaScript with its message intact:
//
//   sgmm::ShapeError, sgmm::ValueError  -> RangeError  (code SGMM_SHAPE_ERROR / SGMM_VALUE_ERROR)
//   sgmm::DTypeError                    -> TypeError   (code SGMM_DTYPE_ERROR)
//   sgmm::DeviceError, sgmm::Error      -> Error       (code SGMM_DEVICE_ERROR / SGMM_ERROR)
//   std::bad_alloc                      -> RangeError  (code SGMM_OUT_OF_MEMORY)
//   any other std::exception            -> Error       (code SGMM_INTERNAL_ERROR)
//
// Argument errors found by the binding itself use throw_type_error (a value
// of the wrong kind: a string for a size, a missing tensor; code
// SGMM_INVALID_ARG_TYPE) and throw_range_error (a value of the right kind
// out of range: a negative or fractional size; code SGMM_INVALID_ARG_VALUE).
//
// A failed callback does not throw from C++: it parks the JavaScript error
// in the addon's error slot and returns the failure sentinel, and index.js,
// which wraps every native function, throws the error from JavaScript.
// Throwing with napi_throw is not safe here: the addon's finalizers run
// inside garbage collection (see js_tensor.hpp), and on Node 20 a collection
// that starts while napi_throw builds the exception's message runs a
// finalizer that Node then reports as throwing, which aborts the process.
//
// The JavaScript error is made with plain Node-API calls, not as a
// Napi::Error: node-addon-api defers releasing a Napi::Error's reference to a
// later turn of the event loop, so a synchronous loop of failing calls would
// hold every error object until it ends.

#include <napi.h>

#include <exception>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace sgmm_node {

// An argument error found by the binding, carried as a C++ exception to the
// boundary, where it becomes a TypeError or a RangeError.
class ArgumentError : public std::invalid_argument {
 public:
  enum class Kind { Type, Range };
  ArgumentError(Kind kind, const std::string& message)
      : std::invalid_argument(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

[[noreturn]] void throw_type_error(const std::string& message);
[[noreturn]] void throw_range_error(const std::string& message);

// The JavaScript error for the exception currently being handled (call only
// inside a catch block).
napi_value js_error_from_current_exception(napi_env env);

// Same, for an exception captured on another thread (the async worker).
napi_value js_error_from_exception(napi_env env, const std::exception_ptr& error);

// Parks the JavaScript error for the current C++ exception in the error
// slot and returns the failure sentinel (call only inside a catch block).
napi_value fail_with_current_exception(napi_env env);

// The error parked by the last failed callback (undefined if none), taken
// out of the slot; index.js throws it.
napi_value take_pending_error(napi_env env);

// Runs body and returns its result (undefined for a void body); any C++
// exception it throws is parked as a JavaScript error, and the failure
// sentinel is returned instead.
template <typename Body>
Napi::Value run_guarded(Napi::Env env, Body&& body) {
  try {
    if constexpr (std::is_void_v<decltype(body())>) {
      std::forward<Body>(body)();
      return env.Undefined();
    } else {
      return Napi::Value(std::forward<Body>(body)());
    }
  } catch (...) {
    return Napi::Value(env, fail_with_current_exception(env));
  }
}

}  // namespace sgmm_node
