package org.jgrad.nn.estimators;

/**
 * The weight optimizer, scikit-learn's {@code solver}: SGD with Nesterov momentum 0.9 and Adam work
 * on mini-batches of {@code batchSize} with step {@code learningRateInit}; L-BFGS (strong Wolfe line
 * search) on the whole training set, one quasi-Newton iteration per epoch, and often fits small data
 * sets fastest.
 */
public enum Solver {
    SGD, ADAM, LBFGS
}
