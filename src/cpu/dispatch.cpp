// Chooses the kernel configuration: the first of the list (best first) that
// the CPU and OS can run and that SGMM_MAX_ISA allows. The choice is made
// once; tests and benchmarks may force another one.
#include "cpu/dispatch.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "cpu/kernel_config.hpp"
#include "sgmm/error.hpp"

namespace sgmm::cpu {
namespace {

struct ConfigEntry {
  const char* name;
  const KernelConfig& (*table)();
  // Why the CPU cannot run it, or nullptr when it can.
  const char* (*refusal)(const CpuFeatures&);
};

const char* avx512_refusal(const CpuFeatures& f) {
  if (!f.avx512f || !f.avx512bw || !f.avx512dq || !f.avx512vl) {
    return "the CPU lacks one of AVX512F/BW/DQ/VL";
  }
  if (!f.can_run_avx2()) return "the CPU or OS lacks AVX2/FMA/F16C";
  if (!f.os_saves_zmm) return "the OS does not save ZMM state (XCR0)";
  return nullptr;
}

const char* avx2_refusal(const CpuFeatures& f) {
  if (!f.avx || !f.avx2 || !f.fma || !f.f16c) return "the CPU lacks one of AVX2/FMA/F16C";
  if (!f.os_saves_ymm) return "the OS does not save YMM state (XCR0)";
  return nullptr;
}

const char* generic_refusal(const CpuFeatures&) { return nullptr; }

constexpr ConfigEntry kConfigs[] = {
    {"avx512", avx512_kernel_config, avx512_refusal},
    {"avx512_no_bf16", avx512_no_bf16_kernel_config, avx512_refusal},
    {"avx2", avx2_kernel_config, avx2_refusal},
    {"generic", generic_kernel_config, generic_refusal},
};
constexpr int kConfigCount = static_cast<int>(sizeof kConfigs / sizeof kConfigs[0]);

int find_config(const std::string& name) {
  for (int i = 0; i < kConfigCount; ++i) {
    if (name == kConfigs[i].name) return i;
  }
  return -1;
}

// "avx512, avx512_no_bf16, avx2, generic" (or with another separator).
std::string config_list(const char* separator) {
  std::string list;
  for (int i = 0; i < kConfigCount; ++i) {
    if (i > 0) list += separator;
    list += kConfigs[i].name;
  }
  return list;
}

struct AutomaticChoice {
  int index = kConfigCount - 1;
  std::vector<std::string> reasons;
};

AutomaticChoice choose_automatically() {
  AutomaticChoice choice;
  const CpuFeatures& cpu = cpu_features();
  // SGMM_MAX_ISA caps the choice: configurations before the named one are skipped.
  int cap = 0;
  std::string cap_note;
  if (const char* env = std::getenv("SGMM_MAX_ISA"); env != nullptr && env[0] != '\0') {
    const int found = find_config(env);
    if (found >= 0) {
      cap = found;
    } else {
      cap_note = std::string("SGMM_MAX_ISA=") + env + " is not one of " + config_list("|") +
                 "; ignored";
    }
  }
  bool taken = false;
  for (int i = 0; i < kConfigCount; ++i) {
    std::string line = std::string(kConfigs[i].name) + ": ";
    const char* refusal = kConfigs[i].refusal(cpu);
    if (taken) {
      line += "not needed (a better one was taken)";
    } else if (i < cap) {
      line += std::string("skipped: capped by SGMM_MAX_ISA=") + kConfigs[cap].name;
    } else if (refusal != nullptr) {
      line += std::string("refused: ") + refusal;
    } else {
      line += "taken";
      choice.index = i;
      taken = true;
    }
    choice.reasons.push_back(line);
  }
  if (!cap_note.empty()) choice.reasons.push_back(cap_note);
  if (const char* verbose = std::getenv("SGMM_VERBOSE"); verbose != nullptr && verbose[0] == '1') {
    for (const std::string& line : choice.reasons)
      std::fprintf(stderr, "sgmm: dispatch: %s\n", line.c_str());
    const KernelConfig& config = kConfigs[choice.index].table();
    std::fprintf(stderr,
                 "sgmm: dispatch: f32 %s (mc %lld kc %lld nc %lld), f64 %s, bf16 %s, f16 %s\n",
                 config.f32.name, static_cast<long long>(config.f32.mc),
                 static_cast<long long>(config.f32.kc), static_cast<long long>(config.f32.nc),
                 config.f64.name, config.bf16.name, config.f16.name);
  }
  return choice;
}

const AutomaticChoice& automatic_choice() {
  static const AutomaticChoice choice = choose_automatically();
  return choice;
}

// -1: automatic; else the index of the forced configuration.
std::atomic<int> forced_index{-1};

}  // namespace

const KernelConfig& selected_kernel_config() {
  const int forced = forced_index.load(std::memory_order_acquire);
  if (forced >= 0) return kConfigs[forced].table();
  static const KernelConfig& automatic = kConfigs[automatic_choice().index].table();
  return automatic;
}

std::vector<std::string> kernel_config_names() {
  std::vector<std::string> names;
  for (const ConfigEntry& entry : kConfigs) names.emplace_back(entry.name);
  return names;
}

bool kernel_config_supported(const std::string& name) {
  const int index = find_config(name);
  return index >= 0 && kConfigs[index].refusal(cpu_features()) == nullptr;
}

void force_kernel_config(const std::string& name) {
  const int index = find_config(name);
  SGMM_CHECK(index >= 0, "force_kernel_config: unknown kernel configuration '", name,
             "': expected one of ", config_list(", "));
  const char* refusal = kConfigs[index].refusal(cpu_features());
  SGMM_CHECK(refusal == nullptr, "force_kernel_config: this CPU cannot run '", name,
             "': ", refusal);
  forced_index.store(index, std::memory_order_release);
}

void reset_kernel_config() { forced_index.store(-1, std::memory_order_release); }

std::string active_kernel_config() { return selected_kernel_config().name; }

std::vector<std::string> dispatch_reasons() { return automatic_choice().reasons; }

}  // namespace sgmm::cpu
