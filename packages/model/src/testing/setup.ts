import * as tf from '@tensorflow/tfjs';

// Silences tfjs' "install tfjs-node" banner, printed on the cpu backend's first use in Node.
tf.env().set('IS_TEST', true);
