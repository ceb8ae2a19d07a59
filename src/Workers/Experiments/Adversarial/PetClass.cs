namespace GradDescent.Workers.Experiments.Adversarial;

/// <summary>The victim's two classes, in output order: logit 0 is cat, logit 1 is dog.</summary>
public enum PetClass
{
    Cat = 0,
    Dog = 1,
}
