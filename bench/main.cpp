// sgmm_bench: measures sgmm against OpenBLAS, oneDNN, libxsmm and Eigen in
// one run, on the shape list of shapes.hpp, and writes the results as
// markdown, JSON and an SVG chart. See bench/README.md.

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "contender.hpp"
#include "cpu/dispatch.hpp"
#include "experiment.hpp"
#include "report.hpp"
#include "sgmm/runtime.hpp"
#include "sgmm/version.hpp"

namespace sgmm::bench {

namespace {

constexpr const char* kUsage = R"(usage: sgmm_bench [options]

  --quick              a few shapes, short measurements, forward only (< 1 minute)
  --modes=LIST         comma-separated experiments (default: all):
                         forward    float32 forward, all libraries
                         keys       attention as written, Q @ K^T: weight a transposed
                                    view (attn, mha, prefill, decode), all libraries
                         threads1   float32 forward on 1 thread, all libraries
                         backward   grad input + grad weight, all libraries
                         scale1     sgmm with scale = 1 against scale = 0.125
                         f64        float64 forward (OpenBLAS dgemm, Eigen, libxsmm)
                         bf16       sgmm bfloat16 against its own float32
                         bf16_widened  the same on AVX-512 without AVX512_BF16 (forced)
                         f16        sgmm float16 against its own float32
                         avx2       sgmm forced to its AVX2 kernels, % of the AVX2 peak
                         cold       float32 forward with a cold cache, all libraries
                         backward_cold  backward with a cold cache, all libraries
                         call       the fixed cost of a call: microseconds per 1x1x1x1 product
  --shapes=LIST        comma-separated shape names (default: all; see --list-shapes)
  --libraries=LIST     only these (sgmm, openblas, onednn, libxsmm, eigen; default: all)
  --threads=N          threads for every library (default 2)
  --seconds=S          time per measurement (default 0.3; --quick: 0.05)
  --markdown=PATH      also write the markdown report to PATH
  --json=PATH          write the results as JSON to PATH
  --svg=PATH           draw the first experiment as an SVG chart (needs gnuplot)
  --list-shapes        print the shape list and exit
)";

const std::vector<std::string> kAllModes = {
    "forward",      "keys", "threads1", "backward", "scale1",        "f64", "bf16",
    "bf16_widened", "f16",  "avx2",     "cold",     "backward_cold", "call"};
// Small and mid shapes: enough to see each regime in a few seconds.
const std::vector<std::string> kQuickShapes = {"attn", "mha", "quant", "odd", "square"};

struct Options {
  bool quick = false;
  bool list_shapes = false;
  std::vector<std::string> modes;
  std::vector<std::string> shapes;
  std::vector<std::string> libraries;
  int threads = 2;
  double seconds = 0;
  std::string markdown_path, json_path, svg_path;
  std::string command_line;
};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

Options parse_options(int argc, char** argv) {
  Options options;
  options.command_line = "sgmm_bench";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    options.command_line += " " + arg;
    auto value_of = [&](const std::string& flag) -> const char* {
      return arg.rfind(flag + "=", 0) == 0 ? arg.c_str() + flag.size() + 1 : nullptr;
    };
    if (arg == "--quick") {
      options.quick = true;
    } else if (arg == "--list-shapes") {
      options.list_shapes = true;
    } else if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else if (const char* v = value_of("--modes")) {
      options.modes = split_list(v);
    } else if (const char* v = value_of("--shapes")) {
      options.shapes = split_list(v);
    } else if (const char* v = value_of("--libraries")) {
      options.libraries = split_list(v);
    } else if (const char* v = value_of("--threads")) {
      options.threads = std::stoi(v);
    } else if (const char* v = value_of("--seconds")) {
      options.seconds = std::stod(v);
    } else if (const char* v = value_of("--markdown")) {
      options.markdown_path = v;
    } else if (const char* v = value_of("--json")) {
      options.json_path = v;
    } else if (const char* v = value_of("--svg")) {
      options.svg_path = v;
    } else {
      throw std::invalid_argument("unknown option '" + arg + "'\n" + kUsage);
    }
  }
  if (options.threads < 1) throw std::invalid_argument("--threads must be at least 1");
  if (options.modes.empty()) options.modes = options.quick ? std::vector<std::string>{"forward"} : kAllModes;
  for (const std::string& mode : options.modes) {
    if (std::find(kAllModes.begin(), kAllModes.end(), mode) == kAllModes.end()) {
      throw std::invalid_argument("unknown mode '" + mode + "'\n" + kUsage);
    }
  }
  if (options.shapes.empty() && options.quick) options.shapes = kQuickShapes;
  if (options.seconds <= 0) options.seconds = options.quick ? 0.05 : 0.3;
  return options;
}

// Every shape: the issue's, then the keys experiment's own.
std::vector<BenchShape> all_shapes() {
  std::vector<BenchShape> shapes(kBenchShapes.begin(), kBenchShapes.end());
  shapes.insert(shapes.end(), kKeysShapes.begin(), kKeysShapes.end());
  return shapes;
}

bool keys_only(const BenchShape& shape) {
  return std::any_of(kKeysShapes.begin(), kKeysShapes.end(),
                     [&](const BenchShape& s) { return std::strcmp(s.name, shape.name) == 0; });
}

std::vector<BenchShape> select_shapes(const std::vector<std::string>& names) {
  const std::vector<BenchShape> all = all_shapes();
  if (names.empty()) return all;
  std::vector<BenchShape> shapes;
  for (const std::string& name : names) {
    auto found =
        std::find_if(all.begin(), all.end(), [&](const BenchShape& s) { return name == s.name; });
    if (found == all.end()) throw std::invalid_argument("unknown shape '" + name + "'");
    shapes.push_back(*found);
  }
  return shapes;
}

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Keeps the contenders whose column starts with one of the names ("sgmm"
// keeps both sgmm columns, "libxsmm" both libxsmm columns).
void keep_libraries(ContenderList& contenders, const std::vector<std::string>& names) {
  if (names.empty()) return;
  ContenderList kept;
  for (std::unique_ptr<Contender>& contender : contenders) {
    const std::string column = lowercase(contender->column());
    for (const std::string& name : names) {
      if (column.rfind(lowercase(name), 0) == 0) {
        kept.push_back(std::move(contender));
        break;
      }
    }
  }
  contenders = std::move(kept);
}

std::string threads_text(int threads) {
  return std::to_string(threads) + (threads == 1 ? " thread" : " threads");
}

ExperimentSpec experiment_for_mode(const std::string& mode, int threads) {
  ExperimentSpec spec;
  spec.id = mode;
  spec.threads = threads;
  if (mode == "forward") {
    spec.title = "float32 forward, " + threads_text(threads);
  } else if (mode == "keys") {
    spec.weight_transposed = true;
    spec.only_shapes = {"attn", "mha", "prefill", "decode"};
    spec.title =
        "float32 attention scores Q @ K^T (weight a transposed view), " + threads_text(threads);
  } else if (mode == "threads1") {
    spec.threads = 1;
    spec.title = "float32 forward, 1 thread";
  } else if (mode == "backward") {
    spec.direction = Direction::backward;
    spec.title = "float32 backward (grad input + grad weight), " + threads_text(threads);
  } else if (mode == "scale1") {
    spec.scale = 1.0;
    spec.sgmm_only = true;
    spec.compare_with = "forward";
    spec.title = "sgmm float32 forward, scale = 1 (ratio: scale 1 over scale 0.125)";
  } else if (mode == "f64") {
    spec.dtype = BenchDType::f64;
    spec.peak_precision = PeakPrecision::f64;
    spec.title = "float64 forward, " + threads_text(threads);
  } else if (mode == "bf16") {
    spec.dtype = BenchDType::bf16;
    spec.sgmm_only = true;
    spec.compare_with = "forward";
    spec.title = "sgmm bfloat16 forward (ratio: bfloat16 over float32)";
  } else if (mode == "bf16_widened") {
    // What a CPU with AVX-512 but without AVX512_BF16 runs: bfloat16
    // widened to float32 (the avx512_no_bf16 configuration).
    spec.dtype = BenchDType::bf16;
    spec.sgmm_kernel = "avx512_no_bf16";
    spec.sgmm_only = true;
    spec.compare_with = "forward";
    spec.title =
        "sgmm bfloat16 forward without AVX512_BF16, widened to float32 (forced avx512_no_bf16; "
        "ratio: over float32)";
  } else if (mode == "f16") {
    spec.dtype = BenchDType::f16;
    spec.sgmm_only = true;
    spec.compare_with = "forward";
    spec.title = "sgmm float16 forward (ratio: float16 over float32)";
  } else if (mode == "avx2") {
    spec.sgmm_kernel = "avx2";
    spec.sgmm_only = true;
    spec.peak_isa = VectorIsa::avx2;
    spec.compare_with = "forward";
    spec.title = "sgmm float32 forward forced to AVX2 kernels (ratio: AVX2 over automatic)";
  } else if (mode == "cold") {
    spec.cold_cache = true;
    spec.title = "float32 forward, cold cache, " + threads_text(threads);
  } else if (mode == "backward_cold") {
    spec.direction = Direction::backward;
    spec.cold_cache = true;
    spec.title = "float32 backward (grad input + grad weight), cold cache, " + threads_text(threads);
  } else if (mode == "call") {
    spec.per_call = true;
    spec.title = "fixed cost of a call: float32 1×1×1×1, " + threads_text(threads);
  }
  return spec;
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  return text;
}

void append(ContenderList& list, ContenderList more) {
  for (std::unique_ptr<Contender>& contender : more) list.push_back(std::move(contender));
}

// Every contender this build has, and a line per peer saying whether it is in.
ContenderList gather_contenders(std::vector<PeerStatus>& peers) {
  ContenderList contenders;
#ifdef SGMM_BENCH_HAVE_TENSOR_API
  append(contenders, make_sgmm_api_contenders());
  peers.push_back({"sgmm public API", true, "scaled_grouped_mm_out"});
#else
  peers.push_back({"sgmm public API", false,
                   "the tensor/ops layers were not in this build; sgmm measured through its driver"});
#endif
  append(contenders, make_sgmm_gemm_contenders());
#ifdef SGMM_BENCH_HAVE_OPENBLAS
  append(contenders, make_openblas_contenders());
  peers.push_back({"OpenBLAS", true, openblas_build_description()});
#else
  peers.push_back({"OpenBLAS", false, "not found at configure time: apt-get install libopenblas-dev"});
#endif
#ifdef SGMM_BENCH_HAVE_ONEDNN
  append(contenders, make_onednn_contenders());
  peers.push_back({"oneDNN", true, onednn_build_description()});
#else
  peers.push_back({"oneDNN", false, "not found at configure time: apt-get install libdnnl-dev"});
#endif
#ifdef SGMM_BENCH_HAVE_LIBXSMM
  append(contenders, make_libxsmm_contenders());
  peers.push_back({"libxsmm", true, libxsmm_build_description()});
#else
  peers.push_back({"libxsmm", false, "not found at configure time: apt-get install libxsmm-dev"});
#endif
#ifdef SGMM_BENCH_HAVE_EIGEN
  append(contenders, make_eigen_contenders());
  peers.push_back({"Eigen", true, eigen_build_description()});
#else
  peers.push_back({"Eigen", false, "not found at configure time: apt-get install libeigen3-dev"});
#endif
  return contenders;
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream file(path);
  if (!file) throw std::runtime_error("cannot write " + path);
  file << text;
}

int run_benchmark(const Options& options) {
  if (options.list_shapes) {
    for (const BenchShape& s : all_shapes()) {
      std::cout << s.name << " " << s.b << "x" << s.m << "x" << s.k << "x" << s.n
                << (keys_only(s) ? " (keys only)" : "") << "\n";
    }
    return 0;
  }
  const std::vector<BenchShape> shapes = select_shapes(options.shapes);

  RunReport report;
  report.command_line = options.command_line;
  report.date_utc = utc_now();
  report.cpu = cpu_model_name();
  report.hardware_threads = std::thread::hardware_concurrency();
  report.load_at_start = one_minute_load_average();
  report.quick = options.quick;
  report.target_seconds = options.seconds;
  report.sgmm_version = SGMM_VERSION;
  report.sgmm_kernel = cpu::active_kernel_config();
  report.sgmm_dispatch_reasons = cpu::dispatch_reasons();

  ContenderList contenders = gather_contenders(report.peers);
  keep_libraries(contenders, options.libraries);
  for (const PeerStatus& peer : report.peers) {
    std::cout << (peer.built ? "  with    " : "  without ") << peer.name << ": " << peer.detail
              << "\n";
  }

  report.peak_threads = {1};
  if (options.threads != 1) report.peak_threads.push_back(options.threads);
  std::cout << "measuring the FMA peak ..." << std::endl;
  report.peaks = measure_machine_peaks(report.peak_threads, options.quick ? 0.05 : 0.3);

  RunSettings settings;
  settings.timing.target_seconds = options.seconds;
  const std::vector<BenchShape> call_shape = {kCallShape};
  for (const std::string& mode : options.modes) {
    const ExperimentSpec spec = experiment_for_mode(mode, options.threads);
    std::vector<BenchShape> spec_shapes = spec.per_call ? call_shape : shapes;
    if (spec.only_shapes.empty()) {
      spec_shapes.erase(std::remove_if(spec_shapes.begin(), spec_shapes.end(), keys_only),
                        spec_shapes.end());
      if (spec_shapes.empty()) {
        std::cout << "== " << spec.title << ": skipped, the shapes chosen are the keys experiment's"
                  << std::endl;
        continue;
      }
    } else {
      const std::vector<std::string>& only = spec.only_shapes;
      std::vector<BenchShape> kept;
      for (const BenchShape& s : spec_shapes) {
        if (std::find(only.begin(), only.end(), s.name) != only.end()) kept.push_back(s);
      }
      if (kept.empty()) {
        std::cout << "== " << spec.title << ": skipped, it runs on";
        for (const std::string& name : only) std::cout << " " << name;
        std::cout << " only" << std::endl;
        continue;
      }
      spec_shapes = std::move(kept);
    }
    report.experiments.push_back(run_experiment(spec, spec_shapes, contenders, report.peaks,
                                                settings, std::cout));
  }

  // The peak again, keeping the higher of the two: on a VM, the two
  // virtual cores may share one physical core for a while, and a peak
  // measured then would read as one core's.
  std::cout << "measuring the FMA peak again ..." << std::endl;
  report.peaks.keep_higher(
      measure_machine_peaks(report.peak_threads, options.quick ? 0.05 : 0.3));
  for (ExperimentResult& experiment : report.experiments) {
    const ExperimentSpec& spec = experiment.spec;
    experiment.peak_gflops = report.peaks.get(spec.peak_isa, spec.peak_precision, spec.threads);
  }

  report.load_at_end = one_minute_load_average();
  const std::string markdown = render_markdown(report);
  std::cout << "\n" << markdown;
  if (!options.markdown_path.empty()) write_file(options.markdown_path, markdown);
  if (!options.json_path.empty()) write_file(options.json_path, render_json(report));
  if (!options.svg_path.empty()) {
    const std::string notice = render_svg_chart(report, options.svg_path);
    if (!notice.empty()) std::cout << "\nchart: " << notice << "\n";
  }
  return 0;
}

}  // namespace

}  // namespace sgmm::bench

int main(int argc, char** argv) {
  try {
    return sgmm::bench::run_benchmark(sgmm::bench::parse_options(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << "sgmm_bench: " << e.what() << "\n";
    return 1;
  }
}
