// The rest of the declared API in use, including ScaledGroupedMMFunctionalOptions
// and the Promise form; `tsc --noEmit` checks it against index.d.ts.
import torch from 'sgmm';
import type { ScaledGroupedMMFunctionalOptions, Tensor, TensorOptions } from 'sgmm';

const options: TensorOptions = { dtype: 'float64', requires_grad: true };
const q: Tensor = torch.randn([4, 5, 6], options);
const k: Tensor = torch.randn(4, 5, 6, { dtype: torch.float64 });
const scale: Tensor = torch.tensor(0.5, { dtype: 'float64', requires_grad: true });

const byNumber: Tensor = torch.nn.functional.scaled_grouped_mm(q, k.transpose(1, 2), 0.125);
const byTensor: Tensor = torch.nn.functional.scaled_grouped_mm(q, k.transpose(1, 2), scale);
const sgmmOptions: ScaledGroupedMMFunctionalOptions = { scale };
const byOptions: Tensor = torch.nn.functional.scaled_grouped_mm(q, k.transpose(1, 2), sgmmOptions);
const promised: Promise<Tensor> = torch.nn.functional.scaled_grouped_mm_async(q, k.transpose(1, 2), { scale: 0.5 });
const promisedByOption: Promise<Tensor> = torch.nn.functional.scaled_grouped_mm(q, k.transpose(1, 2), { scale: 0.5, async: true });

byTensor.sum().backward();
const grad: Tensor | null = scale.grad;
const value: number = byNumber.mean().item();
const values = byOptions.to('float32').toArray();
const list = byOptions.tolist();
const text: string = byOptions.toString();
const noGrad: Tensor = torch.no_grad(() => q.matmul(k.transpose(1, 2)).mul(2).add(1));
const wrapped: Tensor = torch.from(new Float32Array(6), [2, 3]);
const size0: number = wrapped.size(0);
const sizes: number[] = wrapped.size();
torch.manual_seed(0);
torch.set_num_threads(torch.get_num_threads());

void [promised, promisedByOption, grad, value, values, list, text, noGrad, size0, sizes];
