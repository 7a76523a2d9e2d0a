export { defaultHome } from './home.js';
export {
  type ProgramOptions,
  type ProgramProcess,
  runProgramToExit,
  startProgram,
} from './program.js';
