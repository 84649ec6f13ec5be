// Type declarations for the sgmm package: the torch namespace in JavaScript.
//
//   import torch = require('sgmm');        // CommonJS, or
//   import torch from 'sgmm';              // ES modules / esModuleInterop

declare namespace torch {
  /** Element types, by torch's names. */
  type DType = 'float32' | 'float64' | 'bfloat16' | 'float16' | 'int8' | 'int32' | 'int64' | 'bool';
  /** Every spelling a dtype argument accepts: torch's names and aliases, with or without "torch.". */
  type DTypeName =
    | DType
    | 'float' | 'double' | 'half' | 'int' | 'long'
    | `torch.${DType}` | 'torch.float' | 'torch.double' | 'torch.half' | 'torch.int' | 'torch.long';

  /** Options of the creation functions. */
  interface TensorOptions {
    dtype?: DTypeName;
    requires_grad?: boolean;
    device?: 'cpu';
  }

  /**
   * The third argument of scaled_grouped_mm in object form.
   * - scale: a number, or a 0-d floating Tensor (which receives a gradient when it requires one); default 1.
   * - out: a [batch, m, n] tensor to write into (records no autograd graph); it is also the result.
   * - async: false or absent here; see ScaledGroupedMMAsyncOptions for the Promise form.
   */
  interface ScaledGroupedMMFunctionalOptions {
    scale?: number | Tensor;
    out?: Tensor;
    async?: false;
  }
  /** ScaledGroupedMMFunctionalOptions with async: true: scaled_grouped_mm returns a Promise and runs off the event loop. */
  interface ScaledGroupedMMAsyncOptions {
    scale?: number | Tensor;
    out?: Tensor;
    async: true;
  }

  /** The typed array toArray() returns for each dtype (bfloat16/float16: raw 16-bit patterns). */
  interface TypedArrayOf {
    float32: Float32Array;
    float64: Float64Array;
    bfloat16: Uint16Array;
    float16: Uint16Array;
    int8: Int8Array;
    int32: Int32Array;
    int64: BigInt64Array;
    bool: Uint8Array;
  }
  type AnyTypedArray = TypedArrayOf[DType];

  /** Nested arrays of values, as tolist() returns and tensor() accepts. */
  type NestedList<T> = T | NestedList<T>[];
  type Scalar = number | boolean | bigint;
  type Sizes = number[];

  class Tensor {
    private constructor();
    /** The sizes, e.g. [32, 10, 10]. */
    readonly shape: number[];
    readonly dtype: DType;
    readonly device: 'cpu';
    readonly ndim: number;
    requires_grad: boolean;
    /** The accumulated gradient of a leaf, or null before backward() reaches it. Assign null to clear it. */
    grad: Tensor | null;
    readonly is_leaf: boolean;

    size(): number[];
    size(dim: number): number;
    stride(): number[];
    stride(dim: number): number;
    dim(): number;
    numel(): number;
    is_contiguous(): boolean;
    /** The value of a one-element tensor (a boolean for bool). */
    item(): number;
    /** A typed array over the tensor's memory (zero-copy when contiguous). */
    toArray(): AnyTypedArray;
    tolist(): NestedList<number | boolean>;
    /** torch's repr: tensor([[1., 2.]], dtype=torch.float64, requires_grad=True). */
    toString(): string;

    backward(gradient?: Tensor | null, retain_graph?: boolean): void;
    detach(): Tensor;
    requires_grad_(requires_grad?: boolean): this;

    transpose(dim0: number, dim1: number): Tensor;
    t(): Tensor;
    permute(...dims: number[]): Tensor;
    permute(dims: number[]): Tensor;
    view(...sizes: number[]): Tensor;
    view(sizes: number[]): Tensor;
    reshape(...sizes: number[]): Tensor;
    reshape(sizes: number[]): Tensor;
    expand(...sizes: number[]): Tensor;
    expand(sizes: number[]): Tensor;
    select(dim: number, index: number): Tensor;
    narrow(dim: number, start: number, length: number): Tensor;
    unsqueeze(dim: number): Tensor;
    squeeze(dim: number): Tensor;
    contiguous(): Tensor;
    clone(): Tensor;
    to(dtype: DTypeName): Tensor;

    bmm(mat2: Tensor): Tensor;
    matmul(other: Tensor): Tensor;
    add(other: Tensor | Scalar): Tensor;
    sub(other: Tensor | Scalar): Tensor;
    mul(other: Tensor | Scalar): Tensor;
    div(other: Tensor | Scalar): Tensor;
    neg(): Tensor;
    sum(dim?: number, keepdim?: boolean): Tensor;
    mean(dim?: number, keepdim?: boolean): Tensor;
  }

  const float32: 'float32';
  const float: 'float32';
  const float64: 'float64';
  const double: 'float64';
  const bfloat16: 'bfloat16';
  const float16: 'float16';
  const half: 'float16';
  const int8: 'int8';
  const int32: 'int32';
  const int: 'int32';
  const int64: 'int64';
  const long: 'int64';
  const bool: 'bool';

  /** Sizes as separate numbers or one array, then optional options: randn(2, 3), randn([2, 3], { dtype: 'float64' }). */
  type SizedFactory = {
    (...sizes: number[]): Tensor;
    (...args: [...sizes: number[], options: TensorOptions]): Tensor;
    (sizes: Sizes, options?: TensorOptions): Tensor;
  };
  const randn: SizedFactory;
  const rand: SizedFactory;
  const zeros: SizedFactory;
  const ones: SizedFactory;
  const empty: SizedFactory;
  function full(sizes: Sizes | number, value: Scalar, options?: TensorOptions): Tensor;
  function arange(end: number | bigint, options?: TensorOptions): Tensor;
  function arange(start: number | bigint, end: number | bigint, options?: TensorOptions): Tensor;
  function arange(start: number | bigint, end: number | bigint, step: number | bigint, options?: TensorOptions): Tensor;
  /** Copies data into a new tensor. Numbers make float32, bigints int64, booleans bool, unless options.dtype says otherwise. */
  function tensor(data: NestedList<Scalar> | AnyTypedArray | Int16Array | Uint16Array | Uint32Array, options?: TensorOptions): Tensor;
  /** Wraps a typed array's memory without a copy; the tensor keeps the array's buffer alive. */
  function from(array: AnyTypedArray, shape?: Sizes | null, options?: TensorOptions): Tensor;
  function from(array: AnyTypedArray, options: TensorOptions): Tensor;
  function manual_seed(seed: number | bigint): void;

  function bmm(input: Tensor, mat2: Tensor): Tensor;
  function matmul(input: Tensor, other: Tensor): Tensor;
  function add(input: Tensor, other: Tensor | Scalar): Tensor;
  function sub(input: Tensor, other: Tensor | Scalar): Tensor;
  function mul(input: Tensor, other: Tensor | Scalar): Tensor;
  function div(input: Tensor, other: Tensor | Scalar): Tensor;
  function neg(input: Tensor): Tensor;
  function sum(input: Tensor, dim?: number, keepdim?: boolean): Tensor;
  function mean(input: Tensor, dim?: number, keepdim?: boolean): Tensor;
  function equal(input: Tensor, other: Tensor): boolean;
  function allclose(input: Tensor, other: Tensor, rtol?: number, atol?: number): boolean;

  /** Runs fn with autograd recording off and returns its result. */
  function no_grad<T>(fn: () => T): T;
  function enable_grad<T>(fn: () => T): T;
  function is_grad_enabled(): boolean;
  function set_grad_enabled(enabled: boolean): void;
  function set_num_threads(threads: number): void;
  function get_num_threads(): number;

  interface RuntimeInfo {
    version: string;
    cpu_features: string[];
    kernel: string;
    kernels: string[];
    dispatch_reasons: string[];
    num_threads: number;
  }
  function runtime_info(): RuntimeInfo;

  namespace nn {
    namespace functional {
      /**
       * out[i] = (input[i] @ weight[i]) * scale; input [batch, m, k], weight [batch, k, n] -> [batch, m, n].
       * The third argument is the scale (a number or a 0-d Tensor) or an options object.
       */
      function scaled_grouped_mm(input: Tensor, weight: Tensor, options: ScaledGroupedMMAsyncOptions): Promise<Tensor>;
      function scaled_grouped_mm(input: Tensor, weight: Tensor,
                                 options?: number | Tensor | ScaledGroupedMMFunctionalOptions): Tensor;
      /** The Promise form: runs off the event loop; argument errors reject the Promise. */
      function scaled_grouped_mm_async(input: Tensor, weight: Tensor,
                                       options?: number | Tensor | ScaledGroupedMMFunctionalOptions |
                                         ScaledGroupedMMAsyncOptions): Promise<Tensor>;
    }
  }
}

export = torch;
