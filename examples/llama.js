// The seed program: a gated model, the token from HF_TOKEN.
//   HF_TOKEN=hf_... node examples/llama.js
import { AutoTokenizer } from 'hubtok';

const tokenizer = await AutoTokenizer.from_pretrained('meta-llama/Llama-2-7b-hf'); // gated model
console.log(tokenizer.encode('Hello world!')); // [ 1, 15043, 3186, 29991 ]
