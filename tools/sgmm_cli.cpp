// The `sgmm` command: what the library sees on this machine, and a demo of
// the specification's examples.
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include <sgmm/sgmm.hpp>

#include "examples.hpp"

namespace {

void print_usage(std::ostream& os) {
  os << "usage: sgmm <command>\n"
        "  info     version, CPU features, the GEMM kernel chosen and why, thread count\n"
        "  demo     run the specification's examples and print their result shapes\n"
        "  version  print the version\n"
        "Environment: SGMM_NUM_THREADS=<n>, SGMM_MAX_ISA=avx512|avx512_no_bf16|avx2|generic,\n"
        "             SGMM_VERBOSE=1\n";
}

int run_info() {
  const sgmm::RuntimeInfo info = sgmm::runtime_info();
  std::cout << "sgmm " << info.version << "\n";
  std::cout << "cpu features:";
  for (const auto& feature : info.cpu_features) std::cout << ' ' << feature;
  std::cout << "\nkernel: " << info.kernel << "\n";
  std::cout << "kernels, best first:\n";
  for (const auto& reason : info.dispatch_reasons) std::cout << "  " << reason << "\n";
  std::cout << "threads: " << info.num_threads << "\n";
  return 0;
}

int run_demo() {
  struct Example {
    const char* name;
    int (*run)();
  };
  const Example examples[] = {
      {"attention scores", example_attention_scores},
      {"quantized batch", example_quantized_batch},
      {"learnable scale", example_learnable_scale},
      {"multi-head attention", example_multi_head_attention},
      {"scale one", example_scale_one},
  };
  sgmm::manual_seed(0);
  int failures = 0;
  for (const Example& example : examples) {
    if (example.run() != 0) {
      std::cout << "  -> example '" << example.name << "' failed\n";
      ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    print_usage(std::cerr);
    return 2;
  }
  const std::string command = argv[1];
  try {
    if (command == "info") return run_info();
    if (command == "demo") return run_demo();
    if (command == "version" || command == "--version") {
      std::cout << "sgmm " << SGMM_VERSION << "\n";
      return 0;
    }
    if (command == "help" || command == "--help" || command == "-h") {
      print_usage(std::cout);
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "sgmm " << command << ": " << e.what() << "\n";
    return 1;
  }
  std::cerr << "sgmm: unknown command '" << command << "'\n";
  print_usage(std::cerr);
  return 2;
}
