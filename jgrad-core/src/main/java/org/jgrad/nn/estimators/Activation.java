package org.jgrad.nn.estimators;

import org.jgrad.nn.Identity;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sigmoid;
import org.jgrad.nn.Tanh;

/** The hidden layers' activation, scikit-learn's {@code activation}. */
public enum Activation {
    RELU, TANH, LOGISTIC, IDENTITY;

    Module module() {
        return switch (this) {
            case RELU -> new ReLU();
            case TANH -> new Tanh();
            case LOGISTIC -> new Sigmoid();
            case IDENTITY -> new Identity();
        };
    }
}
